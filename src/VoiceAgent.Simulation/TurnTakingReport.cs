namespace VoiceAgent.Simulation;

/// <summary>What a run showed about turn-taking, on the room's timeline (milliseconds).</summary>
public sealed record TurnTakingReport
{
    /// <summary>Who transcribed the user (the recognizer's own description; a test double says so).</summary>
    public string Recognizer { get; init; } = "";

    /// <summary>Backchannels heard over the agent: the paused reply resumed.</summary>
    public IReadOnlyList<HeardReport> Backchannels { get; init; } = [];

    /// <summary>Transcripts dropped as the agent's own voice.</summary>
    public IReadOnlyList<EchoTranscriptReport> EchoTranscriptsDropped { get; init; } = [];

    /// <summary>The words that confirmed each voice barge-in (when words decided it).</summary>
    public IReadOnlyList<HeardReport> BargeInWords { get; init; } = [];

    /// <summary>Each final transcript of the user's voice with how long the end of its turn took to decide.</summary>
    public IReadOnlyList<EndOfTurnReport> EndOfTurn { get; init; } = [];

    /// <summary>The user paused and went on (a reply begun on the pause is stale).</summary>
    public IReadOnlyList<double> UserTurnContinuedMs { get; init; } = [];

    public IReadOnlyList<PreemptiveReplyReport> PreemptiveReplies { get; init; } = [];

    public IReadOnlyList<ToolCallReport> ToolCalls { get; init; } = [];

    /// <summary>Replies begun on what the user's voice said (a new user turn).</summary>
    public int UserTurnsStarted { get; init; }

    /// <summary>When the first force frame was sent, if one was.</summary>
    public double? ForceSentMs { get; init; }
}

public sealed record HeardReport(double AtMs, string Text);

public sealed record EchoTranscriptReport(double AtMs, string Text, string Playing);

public sealed record EndOfTurnReport(double AtMs, string Text, double? DelayMs, string? Reason);

public sealed record PreemptiveReplyReport(double AtMs, string Outcome, double? SavedMs);

/// <summary>A tool call: requested, and how it ended ("completed", "failed", "cancelled") or "in progress".</summary>
public sealed record ToolCallReport(string Name, string CallId, double RequestedMs, double? EndedMs, string Outcome);

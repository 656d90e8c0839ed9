namespace VoiceAgent.Simulation;

/// <summary>What the scenario must show; null members are not checked.</summary>
public sealed record Expectations
{
    public int? Interruptions { get; init; }
    public int? FalseInterruptions { get; init; }
    public int? Pauses { get; init; }

    /// <summary>At most this many pauses caused by the agent's own echo (no user sound under way).</summary>
    public int? MaxEchoPauses { get; init; }

    /// <summary>Kinds of user sound ("speech", "cough") each of which must pause playback at least once.</summary>
    public IReadOnlyList<string> PausedBy { get; init; } = [];

    /// <summary>How the reply must end: "completed" or "interrupted".</summary>
    public string? Outcome { get; init; }

    public int? Resumes { get; init; }
    public bool? Force { get; init; }

    /// <summary>In a conversation the user starts: utterances whose answer must have been heard.</summary>
    public int? Turns { get; init; }

    /// <summary>Speech onset to detection (playback pause ordered), in ms.</summary>
    public double? MaxDetectionMs { get; init; }

    /// <summary>Detection to playback silent, in ms.</summary>
    public double? MaxSilentAfterDetectionMs { get; init; }

    /// <summary>At most this many barge-ins no user speech explains.</summary>
    public int? MaxFalseInterruptions { get; init; }

    /// <summary>Backchannels heard (the paused reply resumed on "uh-huh" and the like).</summary>
    public int? Backchannels { get; init; }

    /// <summary>At least this many transcripts dropped as the agent's own voice.</summary>
    public int? MinEchoTranscriptsDropped { get; init; }

    /// <summary>Turns the user's voice started (a reply begun on a transcript), whether answered or not.</summary>
    public int? UserTurns { get; init; }

    /// <summary>True: every tool call requested has ended (completed, failed or cancelled).</summary>
    public bool? ToolCallsEnded { get; init; }

    /// <summary>Tool calls cancelled by an interruption.</summary>
    public int? ToolCallsCancelled { get; init; }

    /// <summary>Preemptive replies spoken, and thrown away unspoken.</summary>
    public int? PreemptiveRepliesUsed { get; init; }

    public int? PreemptiveRepliesDiscarded { get; init; }
}

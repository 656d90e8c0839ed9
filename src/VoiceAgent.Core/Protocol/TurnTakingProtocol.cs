namespace VoiceAgent.Core.Protocol;

/// <summary>The user paused: <paramref name="Text"/> is what they said so far, and the turn may
/// still go on. It ends with a <see cref="TranscriptFinal"/> (the same words, or more) or goes on
/// with <see cref="UserTurnContinued"/>. The conversation may start a reply on it and hold the
/// reply unspoken until then (a preemptive reply).</summary>
public sealed record TranscriptPreliminary(string Text, DateTimeOffset SpeechEndedAt) : IPipelineEvent;

/// <summary>The user spoke again before the end of their turn was decided: a reply started on the
/// <see cref="TranscriptPreliminary"/> is stale.</summary>
public sealed record UserTurnContinued(DateTimeOffset At) : IPipelineEvent;

/// <summary>What the user said over the agent was only a backchannel ("uh-huh", "yeah"): the
/// paused reply resumed, with no interruption.</summary>
public sealed record BackchannelHeard(TurnId AgentTurn, string Text, DateTimeOffset At) : IPipelineEvent;

/// <summary>A transcript matched what playback was playing when it was heard: the agent's own
/// voice, dropped (no barge-in, no turn). <paramref name="Playing"/> is the text it matched.</summary>
public sealed record EchoTranscriptDropped(string Text, string Playing, DateTimeOffset At) : IPipelineEvent;

/// <summary>What became of a reply started before the end of the user's turn was decided.</summary>
public enum PreemptiveOutcome
{
    /// <summary>The turn ended with the words it was started on: it was spoken.</summary>
    Used,

    /// <summary>The user went on, or the final words differed: it was thrown away unspoken.</summary>
    Discarded,
}

/// <summary>A preemptive reply was used or discarded. <paramref name="Saved"/>: for a used one,
/// how long it had been running when the end of the turn was decided (what the user did not wait).</summary>
public sealed record PreemptiveReply(PreemptiveOutcome Outcome, TimeSpan? Saved, DateTimeOffset At) : IPipelineEvent;

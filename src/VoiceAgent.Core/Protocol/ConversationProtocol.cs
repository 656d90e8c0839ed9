namespace VoiceAgent.Core.Protocol;

/// <summary>Command: speak this text as an agent turn (no LLM involved).</summary>
public sealed record Say(string Text);

/// <summary>Command: interrupt the agent's current turn, as if the user had barged in.</summary>
public sealed record Interrupt(string Reason);

/// <summary>Asks the ConversationActor to answer <see cref="ConversationIdle"/> once no turn is active.</summary>
public sealed record NotifyWhenIdle;

public sealed record ConversationIdle;

public enum TurnOutcome
{
    Completed,
    Interrupted,
    Failed,
}

/// <summary>An agent turn began. <paramref name="Responder"/> names what produces the reply
/// (for example "offline responder" or a model name).</summary>
public sealed record AgentTurnStarted(TurnId Turn, string UserText, string Responder, DateTimeOffset At) : ITurnEvent;

/// <summary>A piece of the reply as it streams (LLM tokens).</summary>
public sealed record AgentText(TurnId Turn, string Delta) : ITurnEvent;

/// <summary>The reply text is complete; audio may still be playing.</summary>
public sealed record AgentTextCompleted(TurnId Turn, string FullText) : ITurnEvent;

/// <summary>The turn is over. <paramref name="HeardText"/> is what the user actually heard (or saw,
/// in text-only output); after an interruption it is what history keeps.</summary>
public sealed record AgentTurnEnded(TurnId Turn, TurnOutcome Outcome, string HeardText, string? Error = null) : ITurnEvent;

/// <summary>Latency of one turn, measured from the end of the user's speech (or the typed line).
/// <paramref name="FirstText"/>: speech end → the reply's first token; <paramref name="FirstAudio"/>:
/// speech end → the reply's first audio played (voice to voice). Null where the turn never got
/// that far (a failure, an interruption before any audio, text-only output). Published once per
/// turn, before its <see cref="AgentTurnEnded"/>.</summary>
public sealed record TurnLatency(TurnId Turn, TimeSpan? FirstText, TimeSpan? FirstAudio) : ITurnEvent
{
    /// <summary>Speech end → the transcript reached the conversation (recognition time).
    /// Null for a turn not started by the user (<see cref="Say"/>).</summary>
    public TimeSpan? Transcript { get; init; }

    /// <summary>Request sent to the model → its first token (includes retries).</summary>
    public TimeSpan? ModelFirstToken { get; init; }

    /// <summary>First token → first audio played (synthesis and playback buffering).</summary>
    public TimeSpan? TextToAudio { get; init; }

    /// <summary>Speech end → first audio played: what the user experiences. Same as <see cref="FirstAudio"/>.</summary>
    public TimeSpan? VoiceToVoice => FirstAudio;
}

/// <summary>Command to the ConversationActor: offer the model a tool (function calling). The sender
/// is the offering actor: it receives <see cref="ToolCallRequested"/> when the model calls the tool
/// and answers with <see cref="ToolResult"/>. <paramref name="ParametersSchema"/> is a JSON schema
/// object describing the arguments (for example <c>{"type":"object","properties":{}}</c>).
/// Offering a name again replaces the tool. The tool is withdrawn when the offering actor stops.</summary>
public sealed record OfferTool(string Name, string Description, string ParametersSchema)
{
    /// <summary>A call already running when the user interrupts goes on to its end, and its result
    /// is kept in history (for a tool whose effect should not be left half done). Otherwise the
    /// call is cancelled and history says so.</summary>
    public bool FinishIfInterrupted { get; init; }
}

/// <summary>Command to the ConversationActor: stop offering a tool (only its offerer may withdraw it).</summary>
public sealed record WithdrawTool(string Name);

/// <summary>Answer to <see cref="OfferTool"/>: the model can call the tool from the next turn on.</summary>
public sealed record ToolOfferAccepted(string Name);

/// <summary>Answer to <see cref="OfferTool"/>: the offer was invalid; <paramref name="Reason"/> says why.</summary>
public sealed record ToolOfferRejected(string Name, string Reason);

/// <summary>The model called a tool during <paramref name="Turn"/>: sent to the offering actor
/// (which answers the sender with a <see cref="ToolResult"/> carrying the same
/// <paramref name="CallId"/>) and published for observers. <paramref name="ArgumentsJson"/> is a
/// JSON object.</summary>
public sealed record ToolCallRequested(TurnId Turn, string CallId, string Name, string ArgumentsJson) : ITurnEvent;

/// <summary>The offering actor's answer to <see cref="ToolCallRequested"/>, told to its sender.
/// <paramref name="Result"/> is text (often JSON) the model reads; set <paramref name="IsError"/>
/// when the call failed, with the reason as the result.</summary>
public sealed record ToolResult(string CallId, string Result, bool IsError = false);

/// <summary>A tool call finished (or failed, or timed out) after <paramref name="Duration"/>.</summary>
public sealed record ToolCallCompleted(TurnId Turn, string CallId, string Name, string Result, bool IsError, TimeSpan Duration) : ITurnEvent
{
    /// <summary>The call was cancelled by an interruption before it answered.</summary>
    public bool Cancelled { get; init; }
}

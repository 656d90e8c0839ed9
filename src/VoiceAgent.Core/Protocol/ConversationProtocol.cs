namespace VoiceAgent.Protocol;

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

/// <summary>Latency of one turn, measured from the end of the user's speech (or the typed line).</summary>
public sealed record TurnLatency(TurnId Turn, TimeSpan? FirstText, TimeSpan? FirstAudio) : ITurnEvent;

using VoiceAgent.Protocol;

namespace VoiceAgent.Listening.Interruptions;

/// <summary>
/// Whether the agent is speaking, and which turn, as its turns start and end; and whether that
/// turn was already interrupted. Voice keeps listening for a barge-in until the turn really
/// ends (the user may go on talking), while typing interrupts a turn once.
/// </summary>
public sealed class AgentTurn
{
    private TurnId _interrupted = TurnId.None;

    /// <summary>The turn the agent is speaking (None when silent).</summary>
    public TurnId Speaking { get; private set; } = TurnId.None;

    /// <summary>The turn an interruption would still stop: the one speaking, unless it already was.</summary>
    public TurnId Interruptible => Speaking == _interrupted ? TurnId.None : Speaking;

    public void Started(TurnId turn)
    {
        Speaking = turn;
        _interrupted = TurnId.None;
    }

    /// <summary>Returns whether <paramref name="turn"/> was the one speaking (a late end of an
    /// earlier turn changes nothing).</summary>
    public bool Ended(TurnId turn)
    {
        if (turn != Speaking) return false;
        Speaking = TurnId.None;
        return true;
    }

    /// <summary>A barge-in on <paramref name="turn"/> went out; one on an earlier turn changes nothing.</summary>
    public void Interrupted(TurnId turn)
    {
        if (turn == Speaking) _interrupted = turn;
    }
}

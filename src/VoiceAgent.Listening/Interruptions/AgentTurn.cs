using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Listening.Interruptions;

/// <summary>
/// Whether the agent is speaking, and which turn, as its turns start and end. Voice keeps
/// listening for a barge-in until the turn really ends (the user may go on talking).
/// </summary>
public sealed class AgentTurn
{
    /// <summary>The turn the agent is speaking (None when silent).</summary>
    public TurnId Speaking { get; private set; } = TurnId.None;

    public void Started(TurnId turn) => Speaking = turn;

    /// <summary>Returns whether <paramref name="turn"/> was the one speaking (a late end of an
    /// earlier turn changes nothing).</summary>
    public bool Ended(TurnId turn)
    {
        if (turn != Speaking) return false;
        Speaking = TurnId.None;
        return true;
    }
}

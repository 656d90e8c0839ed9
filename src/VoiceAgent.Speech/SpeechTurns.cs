using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Speech;

/// <summary>
/// The turns being spoken, and those already over: a turn that was interrupted or ended never
/// starts again, so late messages and engine output for it are dropped.
/// </summary>
internal sealed class SpeechTurns
{
    private readonly Dictionary<TurnId, SpeechTurn> _turns = new();
    private readonly HashSet<TurnId> _closed = new();

    /// <summary>The turn, started if new (<paramref name="started"/>: its stream must be
    /// opened); null when the turn is over.</summary>
    public SpeechTurn? Start(TurnId id, out bool started)
    {
        started = false;
        if (_closed.Contains(id)) return null;
        if (_turns.TryGetValue(id, out var existing)) return existing;
        var turn = new SpeechTurn(id);
        _turns[id] = turn;
        started = true;
        return turn;
    }

    /// <summary>A turn still being spoken, or null (unknown, over, or interrupted).</summary>
    public SpeechTurn? Speaking(TurnId id) =>
        _turns.TryGetValue(id, out var turn) && !turn.Interrupted ? turn : null;

    /// <summary>A turn not yet finished, interrupted or not.</summary>
    public SpeechTurn? Unfinished(TurnId id) => _turns.GetValueOrDefault(id);

    /// <summary>Barge-in: the turn is marked interrupted and never speaks again. Returns the turn
    /// when it was being spoken (it is then to be stopped and finished), else null (a barge-in
    /// before the turn reached us, or a second one).</summary>
    public SpeechTurn? Interrupt(TurnId id)
    {
        _closed.Add(id);
        var turn = Speaking(id);
        if (turn is not null) turn.Interrupted = true;
        return turn;
    }

    /// <summary>The turn is over here: it is forgotten and its messages dropped from now on.</summary>
    public void Finish(SpeechTurn turn)
    {
        _turns.Remove(turn.Id);
        _closed.Add(turn.Id);
        turn.Close();
    }

    /// <summary>Closes every turn (the actor stops).</summary>
    public void CloseAll()
    {
        foreach (var turn in _turns.Values) turn.Close();
        _turns.Clear();
    }
}

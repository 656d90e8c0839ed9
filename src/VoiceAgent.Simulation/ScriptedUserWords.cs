namespace VoiceAgent.Simulation;

/// <summary>
/// What the scripted user says and where it sounds on the room's timeline, added as the runner
/// places each sound (in a conversation the user starts that is while the run goes on, hence
/// the lock).
/// </summary>
public sealed class ScriptedUserWords
{
    private readonly List<(TimeSpan From, TimeSpan To, string Text)> _words = [];

    /// <summary>The words <paramref name="text"/> sound from <paramref name="from"/> to <paramref name="to"/> (room time).</summary>
    public void Add(TimeSpan from, TimeSpan to, string text)
    {
        lock (_words) _words.Add((from, to, text));
    }

    /// <summary>The words of every sound that overlaps [<paramref name="from"/>, <paramref name="to"/>], in order.</summary>
    public IReadOnlyList<string> Overlapping(TimeSpan from, TimeSpan to)
    {
        lock (_words)
            return _words.Where(w => w.From < to && from < w.To).OrderBy(w => w.From).Select(w => w.Text).ToList();
    }

    /// <summary>Whether any scripted sound overlaps [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public bool AnyOverlapping(TimeSpan from, TimeSpan to) => Overlapping(from, to).Count > 0;
}

using VoiceAgent.Dsp;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Audio.Playback;

/// <summary>Where a segment's text ends in the turn's audio: its marker, at the output sample it follows.</summary>
internal sealed record PendingMarker(long Position, string Text);

/// <summary>
/// What has been written and heard of the turn being played, in output samples, and so which
/// words the listener has heard: a segment counts once its marker's position is heard, and a
/// segment cut short counts in proportion to its audio heard.
/// </summary>
internal sealed class TurnProgress(TurnId turn)
{
    private readonly List<PendingMarker> _pending = new();
    private readonly List<string> _reached = new();
    private long _segmentStart;

    public TurnId Turn { get; } = turn;
    public bool Started { get; set; }
    public long Written { get; set; }
    public long Heard { get; private set; }

    /// <summary>A segment's text arrived after everything written so far.</summary>
    public void AddMarker(string text) => _pending.Add(new PendingMarker(Written, text));

    /// <summary>The heard position when the device still holds <paramref name="latency"/> of
    /// what was written; it never moves back.</summary>
    public long HeardPosition(TimeSpan latency, int sampleRate) =>
        Math.Max(Heard, Written - Pcm16.SamplesFor(latency, sampleRate));

    /// <summary>Moves the heard position on, passing the markers it reaches.</summary>
    public void Reach(long heard)
    {
        Heard = Math.Max(Heard, heard);
        while (_pending.Count > 0 && _pending[0].Position <= Heard)
        {
            _reached.Add(_pending[0].Text);
            _segmentStart = _pending[0].Position;
            _pending.RemoveAt(0);
        }
    }

    public string HeardText(string partial = "") =>
        string.Join(' ', partial.Length > 0 ? _reached.Append(partial) : _reached);

    /// <summary>The heard text of a turn cut at <paramref name="heard"/>: the whole segments
    /// reached and the cut segment's share. <paramref name="upcoming"/> is the cut segment's
    /// marker when it was still queued.</summary>
    public string HeardTextWhenCut(long heard, PendingMarker? upcoming) =>
        HeardText(PartialSegment(heard, upcoming));

    /// <summary>The words of the segment being played when it was cut, in proportion to the
    /// segment's audio heard; known only once the segment's marker (its text) has arrived.</summary>
    private string PartialSegment(long heard, PendingMarker? upcoming)
    {
        var end = _pending.Count > 0 ? _pending[0] : upcoming;
        if (end is null || end.Position <= _segmentStart) return "";
        var fraction = Math.Clamp((double)(heard - _segmentStart) / (end.Position - _segmentStart), 0, 1);
        var words = end.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', words.Take((int)Math.Floor(words.Length * fraction)));
    }
}

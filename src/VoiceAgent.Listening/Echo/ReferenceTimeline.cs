namespace VoiceAgent.Listening.Echo;

/// <summary>
/// What the speakers played, placed on the capture clock: sample <c>n</c> is the reference heard
/// at the same moment as microphone sample <c>n</c>. A ring of 20 s (playback announces audio shortly before it is heard); unknown or
/// overwritten positions read as silence.
/// </summary>
public sealed class ReferenceTimeline(int capacity = 16_000 * 20)
{
    private readonly float[] _samples = new float[capacity];
    private readonly long[] _positions = Fill(capacity);

    /// <summary>The capture index just past the last reference written.</summary>
    public long End { get; private set; }

    public void Write(long index, ReadOnlySpan<float> samples)
    {
        for (var i = 0; i < samples.Length; i++)
        {
            var at = index + i;
            if (at < 0) continue;
            var slot = (int)(at % capacity);
            _samples[slot] = samples[i];
            _positions[slot] = at;
        }
        End = Math.Max(End, index + samples.Length);
    }

    /// <summary>Forgets the reference from <paramref name="from"/> on: it was announced but never played.</summary>
    public void Cut(long from)
    {
        for (var at = Math.Max(0, Math.Max(from, End - capacity)); at < End; at++)
        {
            var slot = (int)(at % capacity);
            if (_positions[slot] == at) _positions[slot] = -1;
        }
        if (from < End) End = Math.Max(0, from);
    }

    /// <summary>Moves the reference from <paramref name="from"/> on <paramref name="earlier"/>
    /// samples earlier (negative: later): it had been placed that far off.</summary>
    public void Shift(long from, int earlier)
    {
        if (earlier == 0 || End <= from) return;
        var moved = new float[Math.Max(0, End - earlier - from)];
        Read(from + earlier, moved);
        Cut(from);
        Write(from, moved);
    }

    public float Read(long index)
    {
        if (index < 0) return 0;
        var slot = (int)(index % capacity);
        return _positions[slot] == index ? _samples[slot] : 0;
    }

    public void Read(long index, Span<float> destination)
    {
        for (var i = 0; i < destination.Length; i++) destination[i] = Read(index + i);
    }

    /// <summary>Peak magnitude of the reference over [from, to).</summary>
    public float Peak(long from, long to)
    {
        var peak = 0f;
        for (var i = from; i < to; i++) peak = Math.Max(peak, Math.Abs(Read(i)));
        return peak;
    }

    private static long[] Fill(int capacity)
    {
        var positions = new long[capacity];
        Array.Fill(positions, -1);
        return positions;
    }
}

using VoiceAgent.Dsp;

namespace VoiceAgent.Listening.Engine;

/// <summary>
/// Keeps the last stretch of (echo-cancelled) capture audio so that, once a speech segment has
/// ended, it can be cut out with padding on both sides. Bounded: older audio falls off.
/// </summary>
public sealed class UtteranceBuffer(int sampleRate, TimeSpan capacity)
{
    private readonly short[] _ring = new short[Math.Max(1, Pcm16.SamplesFor(capacity, sampleRate))];
    private long _end;

    public void Append(ReadOnlySpan<float> samples, long firstIndex)
    {
        for (var i = 0; i < samples.Length; i++)
            _ring[(int)((firstIndex + i) % _ring.Length)] = Pcm16.FromFloat(samples[i]);
        _end = Math.Max(_end, firstIndex + samples.Length);
    }

    /// <summary>The audio between two capture-clock times, clipped to what is still held.</summary>
    public short[] Cut(TimeSpan from, TimeSpan to)
    {
        var first = Math.Max(Math.Max(0, _end - _ring.Length), Index(from));
        var last = Math.Min(_end, Index(to));
        if (last <= first) return [];
        var samples = new short[last - first];
        for (var i = 0; i < samples.Length; i++) samples[i] = _ring[(int)((first + i) % _ring.Length)];
        return samples;
    }

    private long Index(TimeSpan time) => Pcm16.SampleAt(time, sampleRate);
}

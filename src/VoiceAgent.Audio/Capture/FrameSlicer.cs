using VoiceAgent.Dsp;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Audio.Capture;

/// <summary>Cuts a stream of 16 kHz samples into whole 20 ms <see cref="AudioFrame"/>s, keeping
/// the remainder for the next call, and stamps each with its capture position.</summary>
public sealed class FrameSlicer
{
    private readonly short[] _partial = new short[CaptureFormat.FrameSamples];
    private int _filled;
    private long _framesOut;

    public IEnumerable<AudioFrame> Add(ReadOnlyMemory<short> samples)
    {
        var offset = 0;
        while (offset < samples.Length)
        {
            var take = Math.Min(samples.Length - offset, _partial.Length - _filled);
            samples.Span.Slice(offset, take).CopyTo(_partial.AsSpan(_filled));
            _filled += take;
            offset += take;
            if (_filled == _partial.Length) yield return Emit();
        }
    }

    /// <summary>The last, partial frame padded with silence (none when nothing is pending).</summary>
    public AudioFrame? Finish()
    {
        if (_filled == 0) return null;
        Array.Clear(_partial, _filled, _partial.Length - _filled);
        return Emit();
    }

    private AudioFrame Emit()
    {
        var frame = new AudioFrame(_partial.ToArray(), Pcm16.Duration(_framesOut * CaptureFormat.FrameSamples, CaptureFormat.SampleRate));
        _framesOut++;
        _filled = 0;
        return frame;
    }
}

using VoiceAgent.Dsp;

namespace VoiceAgent.Speech.Decoding;

/// <summary>
/// Server audio bytes in, PCM at the playback rate out: a segment decoder followed by a streaming
/// resampler (recreated if the decoded rate changes, e.g. an MP3 voice that ignores sample_rate).
/// </summary>
internal sealed class SpeechAudioDecoder(IAudioSegmentDecoder decoder, int outputRate) : IDisposable
{
    private Resampler? _resampler;

    public SpeechAudioDecoder(string audioFormat, int requestedRate, int outputRate)
        : this(AudioDecoders.For(audioFormat, requestedRate), outputRate) { }

    public int OutputRate { get; } = outputRate;

    public short[] Decode(ReadOnlySpan<byte> bytes) => Resample(decoder.Decode(bytes));

    public short[] EndSegment() => Resample(decoder.EndSegment());

    /// <summary>The stream is over: the segment's remainder and the resampler's tail.</summary>
    public short[] Finish()
    {
        var rest = EndSegment();
        var tail = _resampler?.Flush() ?? [];
        _resampler = null;
        return tail.Length == 0 ? rest : [.. rest, .. tail];
    }

    /// <summary>Drops a partly received segment (the socket dropped in the middle of it).</summary>
    public void Abandon()
    {
        decoder.EndSegment();
    }

    private short[] Resample(short[] samples)
    {
        if (samples.Length == 0) return samples;
        var rate = decoder.SampleRate ?? OutputRate;
        if (rate == OutputRate) return samples;
        if (_resampler is null || _resampler.InputRate != rate)
        {
            var tail = _resampler?.Flush() ?? [];
            _resampler = new Resampler(rate, OutputRate);
            var converted = _resampler.Process(samples);
            return tail.Length == 0 ? converted : [.. tail, .. converted];
        }
        return _resampler.Process(samples);
    }

    public void Dispose() => decoder.Dispose();
}

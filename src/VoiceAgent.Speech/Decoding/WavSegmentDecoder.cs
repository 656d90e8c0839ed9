using VoiceAgent.Dsp;

namespace VoiceAgent.Speech.Decoding;

/// <summary>WAV per segment: each segment starts with its own RIFF header (possibly split across
/// frames), read with NAudio once it is complete; then PCM or float samples in any channel count,
/// converted to mono s16 as they arrive. A frame that starts with "RIFF" starts a new segment.</summary>
internal sealed class WavSegmentDecoder : IAudioSegmentDecoder
{
    // A header that is still incomplete after this much is not a header.
    private const int MaxHeaderBytes = 64 * 1024;

    private readonly List<byte> _header = new();
    private MonoPcmConverter? _samples;

    public int? SampleRate { get; private set; }

    public short[] Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith("RIFF"u8)) EndSegment();
        if (_samples is not null) return _samples.Convert(bytes);

        _header.AddRange(bytes);
        var header = _header.ToArray();
        try
        {
            if (!WavFile.TryParseHeader(header, out var format, out var dataOffset))
            {
                if (header.Length > MaxHeaderBytes)
                    throw new SpeechSynthesisException($"the TTS server sent {header.Length} bytes without a complete WAV header: use audio-format linear16");
                return [];
            }
            _samples = new MonoPcmConverter(format);
            SampleRate = format.SampleRate;
            _header.Clear();
            return _samples.Convert(header.AsSpan(Math.Min(dataOffset, header.Length)));
        }
        catch (AudioFormatException e)
        {
            throw new SpeechSynthesisException($"the TTS server sent WAV this client cannot play ({e.Message}); use audio-format linear16");
        }
    }

    public short[] EndSegment()
    {
        _samples = null;
        _header.Clear();
        return [];
    }

    public void Dispose() { }
}

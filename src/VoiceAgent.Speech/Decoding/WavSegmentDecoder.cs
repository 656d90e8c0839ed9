using System.Buffers.Binary;
using System.Text;

namespace VoiceAgent.Speech.Decoding;

/// <summary>WAV per segment: each segment starts with its own RIFF header (possibly split across
/// frames), then s16le PCM. A frame that starts with "RIFF" starts a new segment.</summary>
internal sealed class WavSegmentDecoder : IAudioSegmentDecoder
{
    private readonly List<byte> _header = new();
    private Linear16Decoder? _pcm;

    public int? SampleRate { get; private set; }

    public short[] Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith("RIFF"u8)) EndSegment();
        if (_pcm is not null) return _pcm.Decode(bytes);

        _header.AddRange(bytes);
        var data = FindData(out var rate, out var channels, out var bits);
        if (data < 0) return [];
        if (bits != 16 || channels != 1)
            throw new SpeechSynthesisException($"the TTS server sent WAV with {channels} channel(s) at {bits} bits: only mono 16-bit is supported, use audio-format linear16");
        SampleRate = rate;
        _pcm = new Linear16Decoder(rate);
        var rest = _header.Skip(data).ToArray();
        _header.Clear();
        return _pcm.Decode(rest);
    }

    public short[] EndSegment()
    {
        _pcm = null;
        _header.Clear();
        return [];
    }

    /// <summary>Offset of the PCM data, or -1 while the header is incomplete.</summary>
    private int FindData(out int rate, out int channels, out int bits)
    {
        rate = channels = bits = 0;
        var span = _header.ToArray().AsSpan();
        if (span.Length < 12) return -1;
        if (!span[..4].SequenceEqual("RIFF"u8) || !span[8..12].SequenceEqual("WAVE"u8))
            throw new SpeechSynthesisException("the TTS server sent audio that is not WAV although audio-format = wav was requested");
        var offset = 12;
        while (offset + 8 <= span.Length)
        {
            var id = Encoding.ASCII.GetString(span.Slice(offset, 4));
            var size = BinaryPrimitives.ReadInt32LittleEndian(span.Slice(offset + 4, 4));
            if (id == "data") return offset + 8;
            if (offset + 8 + size > span.Length) return -1;
            if (id == "fmt " && size >= 16)
            {
                channels = BinaryPrimitives.ReadInt16LittleEndian(span.Slice(offset + 10, 2));
                rate = BinaryPrimitives.ReadInt32LittleEndian(span.Slice(offset + 12, 4));
                bits = BinaryPrimitives.ReadInt16LittleEndian(span.Slice(offset + 22, 2));
            }
            offset += 8 + size + (size & 1);
        }
        return -1;
    }

    public void Dispose() { }
}

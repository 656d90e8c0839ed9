using System.Buffers.Binary;

namespace VoiceAgent.Speech.Decoding;

/// <summary>Raw s16le mono at a known rate. A frame may end in the middle of a sample: the odd
/// byte is carried into the next frame.</summary>
internal sealed class Linear16Decoder(int sampleRate) : IAudioSegmentDecoder
{
    private byte? _carry;

    public int? SampleRate { get; } = sampleRate;

    public short[] Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty) return [];
        var total = bytes.Length + (_carry.HasValue ? 1 : 0);
        var samples = new short[total / 2];
        var index = 0;
        var offset = 0;
        if (_carry is { } low && samples.Length > 0)
        {
            samples[index++] = (short)(low | (bytes[0] << 8));
            offset = 1;
            _carry = null;
        }
        for (; index < samples.Length; index++, offset += 2)
            samples[index] = BinaryPrimitives.ReadInt16LittleEndian(bytes.Slice(offset, 2));
        if (offset < bytes.Length) _carry = bytes[offset];
        return samples;
    }

    /// <summary>A segment holds whole samples; a byte left over is a server fault, not the start
    /// of the next segment's first sample, so it is dropped to keep alignment.</summary>
    public short[] EndSegment()
    {
        _carry = null;
        return [];
    }

    public void Dispose() { }
}

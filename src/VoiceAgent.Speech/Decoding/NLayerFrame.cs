using NLayer;
using Mp3Frame = NAudio.Wave.Mp3Frame;

namespace VoiceAgent.Speech.Decoding;

/// <summary>One MP3 frame as NAudio parsed it (<see cref="Mp3Frame"/>), in the shape NLayer's
/// decoder reads: the header fields, and the bits after the header (and CRC) on demand.</summary>
internal sealed class NLayerFrame(Mp3Frame frame) : IMpegFrame
{
    private int _offset;
    private ulong _bits;
    private int _bitCount;

    public int SampleRate => frame.SampleRate;

    public int SampleRateIndex => (frame.RawData[2] >> 2) & 0x3;

    public int FrameLength => frame.FrameLength;

    public int BitRate => frame.BitRate;

    public MpegVersion Version => frame.MpegVersion switch
    {
        NAudio.Wave.MpegVersion.Version1 => MpegVersion.Version1,
        NAudio.Wave.MpegVersion.Version2 => MpegVersion.Version2,
        NAudio.Wave.MpegVersion.Version25 => MpegVersion.Version25,
        _ => MpegVersion.Unknown,
    };

    public MpegLayer Layer => frame.MpegLayer switch
    {
        NAudio.Wave.MpegLayer.Layer1 => MpegLayer.LayerI,
        NAudio.Wave.MpegLayer.Layer2 => MpegLayer.LayerII,
        NAudio.Wave.MpegLayer.Layer3 => MpegLayer.LayerIII,
        _ => MpegLayer.Unknown,
    };

    // Both libraries number the channel modes as the header does.
    public MpegChannelMode ChannelMode => (MpegChannelMode)(int)frame.ChannelMode;

    public int ChannelModeExtension => frame.ChannelExtension;

    public int SampleCount => frame.SampleCount;

    public int BitRateIndex => frame.BitRateIndex;

    public bool IsCopyrighted => frame.Copyright;

    public bool HasCrc => frame.CrcPresent;

    public bool IsCorrupted => false;

    public void Reset()
    {
        _offset = HasCrc ? 6 : 4;
        _bits = 0;
        _bitCount = 0;
    }

    /// <summary>The next <paramref name="bitCount"/> bits, most significant first; -1 past the frame's end.</summary>
    public int ReadBits(int bitCount)
    {
        if (bitCount is < 1 or > 32) throw new ArgumentOutOfRangeException(nameof(bitCount));
        while (_bitCount < bitCount)
        {
            if (_offset >= frame.RawData.Length) return -1;
            _bits = (_bits << 8) | frame.RawData[_offset++];
            _bitCount += 8;
        }
        _bitCount -= bitCount;
        return (int)((_bits >> _bitCount) & ((1UL << bitCount) - 1));
    }
}

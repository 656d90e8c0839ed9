namespace VoiceAgent.TtsServer.Audio;

/// <summary>Finds MPEG audio layer III frame boundaries, so a segment's MP3 can be split into
/// WebSocket frames without cutting an MP3 frame.</summary>
public static class Mp3Frames
{
    private static readonly int[] BitratesV1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
    private static readonly int[] BitratesV2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
    private static readonly int[] RatesV1 = [44100, 48000, 32000];

    /// <summary>Length of the layer III frame whose header starts at <paramref name="offset"/>, or 0
    /// when there is no valid header there.</summary>
    public static int FrameLength(ReadOnlySpan<byte> data, int offset)
    {
        if (offset + 4 > data.Length) return 0;
        if (data[offset] != 0xFF || (data[offset + 1] & 0xE0) != 0xE0) return 0;
        var version = (data[offset + 1] >> 3) & 0x3; // 3 = MPEG1, 2 = MPEG2, 0 = MPEG2.5
        var layer = (data[offset + 1] >> 1) & 0x3;   // 1 = layer III
        if (version == 1 || layer != 1) return 0;
        var bitrateIndex = (data[offset + 2] >> 4) & 0xF;
        var rateIndex = (data[offset + 2] >> 2) & 0x3;
        if (bitrateIndex is 0 or 15 || rateIndex == 3) return 0;
        var padding = (data[offset + 2] >> 1) & 0x1;
        var rate = RatesV1[rateIndex] >> (version == 3 ? 0 : version == 2 ? 1 : 2);
        var bitrate = (version == 3 ? BitratesV1 : BitratesV2)[bitrateIndex] * 1000;
        var coefficient = version == 3 ? 144 : 72;
        return coefficient * bitrate / rate + padding;
    }
}

using System.Text;

namespace VoiceAgent.TtsServer.Audio;

/// <summary>A short ID3v2.4 tag (one TSSE "encoder" frame), like the one the live service puts at
/// the head of each segment's MP3, so clients exercise their tag skipping.</summary>
public static class Id3Tag
{
    public static readonly byte[] Bytes = Build("VoiceAgent TTS server");

    private static byte[] Build(string encoder)
    {
        var value = Encoding.UTF8.GetBytes(encoder);
        var frameSize = 1 + value.Length; // encoding byte + text
        var frame = new List<byte>();
        frame.AddRange("TSSE"u8.ToArray());
        frame.AddRange(SyncSafe(frameSize)); // v2.4 frame sizes are sync-safe
        frame.AddRange([0, 0]);              // frame flags
        frame.Add(3);                        // UTF-8
        frame.AddRange(value);

        var tag = new List<byte>();
        tag.AddRange("ID3"u8.ToArray());
        tag.AddRange([4, 0, 0]);             // version 2.4.0, no flags
        tag.AddRange(SyncSafe(frame.Count));
        tag.AddRange(frame);
        return tag.ToArray();
    }

    private static byte[] SyncSafe(int value) =>
        [(byte)((value >> 21) & 0x7F), (byte)((value >> 14) & 0x7F), (byte)((value >> 7) & 0x7F), (byte)(value & 0x7F)];

    /// <summary>Length of the ID3v2 tag at the start of <paramref name="data"/>, or 0.</summary>
    public static int LengthAt(ReadOnlySpan<byte> data)
    {
        if (data.Length < 10 || data[0] != 'I' || data[1] != 'D' || data[2] != '3') return 0;
        var size = (data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9];
        var footer = (data[5] & 0x10) != 0 ? 10 : 0;
        return 10 + size + footer;
    }
}

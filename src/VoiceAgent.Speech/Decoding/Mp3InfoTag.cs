using System.Buffers.Binary;
using NAudio.Wave;

namespace VoiceAgent.Speech.Decoding;

/// <summary>
/// The Xing/"Info" frame an encoder puts first in an MP3 file: an empty frame holding the number
/// of audio frames and, in its LAME extension (written by LAME and by FFmpeg), the encoder delay
/// (silence the encoder put before the audio) and the padding (after it). A decoder that drops
/// them gives back exactly the samples that were encoded: the file plays gaplessly.
/// </summary>
internal sealed record Mp3InfoTag(int? AudioFrames, int? EncoderDelay, int? Padding)
{
    /// <summary>Reads the tag from a file's first frame; null when it is an ordinary audio frame.</summary>
    public static Mp3InfoTag? TryRead(Mp3Frame frame)
    {
        var data = frame.RawData;
        var mono = frame.ChannelMode == ChannelMode.Mono;
        var sideInfo = frame.MpegVersion == MpegVersion.Version1 ? (mono ? 17 : 32) : (mono ? 9 : 17);
        var at = 4 + (frame.CrcPresent ? 2 : 0) + sideInfo;
        if (at + 8 > data.Length) return null;
        var id = data.AsSpan(at, 4);
        if (!id.SequenceEqual("Xing"u8) && !id.SequenceEqual("Info"u8)) return null;
        var flags = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(at + 4));
        var position = at + 8;
        int? frames = null;
        if ((flags & 1) != 0 && position + 4 <= data.Length) frames = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(position));
        if ((flags & 1) != 0) position += 4;  // frame count
        if ((flags & 2) != 0) position += 4;  // byte count
        if ((flags & 4) != 0) position += 100; // seek table
        if ((flags & 8) != 0) position += 4;  // quality
        // The LAME extension: a 9-character encoder version, then (at +21) 12 bits of delay and 12 of padding.
        if (position + 24 > data.Length || !char.IsAsciiLetter((char)data[position])) return new Mp3InfoTag(frames, null, null);
        var delay = (data[position + 21] << 4) | (data[position + 22] >> 4);
        var padding = ((data[position + 22] & 0x0F) << 8) | data[position + 23];
        return new Mp3InfoTag(frames, delay, padding);
    }
}

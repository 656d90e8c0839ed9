using System.Runtime.InteropServices;
using System.Text;

namespace VoiceAgent.Speech.Tests;

/// <summary>Makes real MP3 files for the in-test server with LAME (libmp3lame.so.0, Debian
/// package libmp3lame0), each optionally starting with an ID3v2 tag like the live service's.</summary>
internal static partial class Lame
{
    private const string Library = "libmp3lame.so.0";

    [LibraryImport(Library)] private static partial nint lame_init();
    [LibraryImport(Library)] private static partial int lame_set_in_samplerate(nint gfp, int rate);
    [LibraryImport(Library)] private static partial int lame_set_out_samplerate(nint gfp, int rate);
    [LibraryImport(Library)] private static partial int lame_set_num_channels(nint gfp, int channels);
    [LibraryImport(Library)] private static partial int lame_set_mode(nint gfp, int mode);
    [LibraryImport(Library)] private static partial int lame_set_brate(nint gfp, int kbps);
    [LibraryImport(Library)] private static partial int lame_set_bWriteVbrTag(nint gfp, int write);
    [LibraryImport(Library)] private static partial int lame_init_params(nint gfp);
    [LibraryImport(Library)] private static partial int lame_encode_buffer(nint gfp, short[] left, short[] right, int samples, byte[] output, int size);
    [LibraryImport(Library)] private static partial int lame_encode_flush(nint gfp, byte[] output, int size);
    [LibraryImport(Library)] private static partial int lame_close(nint gfp);

    private const int Mono = 3;

    public static byte[] Encode(short[] samples, int sampleRate, bool withId3Tag, string title = "segment")
    {
        var gfp = lame_init();
        try
        {
            lame_set_in_samplerate(gfp, sampleRate);
            lame_set_out_samplerate(gfp, sampleRate);
            lame_set_num_channels(gfp, 1);
            lame_set_mode(gfp, Mono);
            lame_set_brate(gfp, 48);
            lame_set_bWriteVbrTag(gfp, 0);
            if (lame_init_params(gfp) < 0) throw new InvalidOperationException("lame_init_params failed");
            var buffer = new byte[samples.Length * 5 / 4 + 7200];
            var body = lame_encode_buffer(gfp, samples, samples, samples.Length, buffer, buffer.Length);
            var flush = new byte[7200];
            var tail = lame_encode_flush(gfp, flush, flush.Length);
            if (body < 0 || tail < 0) throw new InvalidOperationException("LAME could not encode the test audio");
            byte[] mp3 = [.. buffer.AsSpan(0, body), .. flush.AsSpan(0, tail)];
            return withId3Tag ? [.. Id3Tag(title), .. mp3] : mp3;
        }
        finally
        {
            lame_close(gfp);
        }
    }

    /// <summary>A small ID3v2.4 tag with a title frame.</summary>
    public static byte[] Id3Tag(string title)
    {
        var text = Encoding.UTF8.GetBytes(title);
        var frame = new List<byte>();
        frame.AddRange("TIT2"u8.ToArray());
        frame.AddRange(SyncSafe(text.Length + 1));
        frame.AddRange(new byte[] { 0, 0, 3 });
        frame.AddRange(text);
        var tag = new List<byte>();
        tag.AddRange("ID3"u8.ToArray());
        tag.AddRange(new byte[] { 4, 0, 0 });
        tag.AddRange(SyncSafe(frame.Count));
        tag.AddRange(frame);
        return tag.ToArray();
    }

    private static byte[] SyncSafe(int value) =>
        [(byte)((value >> 21) & 0x7F), (byte)((value >> 14) & 0x7F), (byte)((value >> 7) & 0x7F), (byte)(value & 0x7F)];
}

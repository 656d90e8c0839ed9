using System.Runtime.InteropServices;

namespace VoiceAgent.TtsServer.Tests;

/// <summary>Decodes an MP3 file in memory with libmpg123 (Debian libmpg123-0), as a client would.</summary>
public static unsafe partial class Mpg123
{
    private const string Library = "libmpg123.so.0";
    private const int Ok = 0, NeedMore = -10, NewFormat = -11, Done = -12;

    [LibraryImport(Library, EntryPoint = "mpg123_init")] private static partial int Init();
    [LibraryImport(Library, EntryPoint = "mpg123_new")] private static partial IntPtr New(IntPtr decoder, out int error);
    [LibraryImport(Library, EntryPoint = "mpg123_delete")] private static partial void Delete(IntPtr handle);
    [LibraryImport(Library, EntryPoint = "mpg123_open_feed")] private static partial int OpenFeed(IntPtr handle);
    [LibraryImport(Library, EntryPoint = "mpg123_decode")] private static partial int DecodeNative(IntPtr handle, byte* input, nuint inputSize, byte* output, nuint outputSize, out nuint done);
    [LibraryImport(Library, EntryPoint = "mpg123_getformat")] private static partial int GetFormat(IntPtr handle, out CLong rate, out int channels, out int encoding);

    private static readonly int Initialized = Init();

    public static (short[] Samples, int Rate) Decode(byte[] mp3)
    {
        _ = Initialized;
        var handle = New(IntPtr.Zero, out var error);
        Assert.True(handle != IntPtr.Zero, $"mpg123_new failed ({error})");
        try
        {
            Assert.Equal(Ok, OpenFeed(handle));
            var output = new byte[1 << 16];
            var pcm = new List<byte>();
            var rate = 0;
            var first = true;
            fixed (byte* input = mp3)
            fixed (byte* outBuffer = output)
            {
                while (true)
                {
                    var result = DecodeNative(handle, first ? input : null, first ? (nuint)mp3.Length : 0, outBuffer, (nuint)output.Length, out var done);
                    first = false;
                    pcm.AddRange(output.AsSpan(0, (int)done).ToArray());
                    if (result == NewFormat)
                    {
                        GetFormat(handle, out var r, out var channels, out _);
                        rate = (int)r.Value;
                        Assert.Equal(1, channels);
                        continue;
                    }
                    if (result is NeedMore or Done) break;
                    if (result != Ok) Assert.Fail($"mpg123_decode failed ({result})");
                }
            }
            return (VoiceAgent.Audio.Pcm16.FromBytes(pcm.ToArray()), rate);
        }
        finally
        {
            Delete(handle);
        }
    }
}

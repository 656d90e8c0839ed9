using System.Runtime.InteropServices;

namespace VoiceAgent.TtsServer.Native;

/// <summary>The libmp3lame entry points used to encode one segment. Each encoder handle is
/// independent, so sessions encode in parallel.</summary>
internal static unsafe partial class LameNative
{
    private const string Library = "libmp3lame.so.0";

    // Under each system's own library names (NativeLibraries), before the first call.
    static LameNative() => NativeLibraries.Register();

    public const int ModeMono = 3;

    [LibraryImport(Library, EntryPoint = "lame_init")]
    public static partial IntPtr Init();

    [LibraryImport(Library, EntryPoint = "lame_close")]
    public static partial int Close(IntPtr gfp);

    [LibraryImport(Library, EntryPoint = "lame_set_in_samplerate")]
    public static partial int SetInSampleRate(IntPtr gfp, int rate);

    [LibraryImport(Library, EntryPoint = "lame_set_out_samplerate")]
    public static partial int SetOutSampleRate(IntPtr gfp, int rate);

    [LibraryImport(Library, EntryPoint = "lame_set_num_channels")]
    public static partial int SetNumChannels(IntPtr gfp, int channels);

    [LibraryImport(Library, EntryPoint = "lame_set_mode")]
    public static partial int SetMode(IntPtr gfp, int mode);

    [LibraryImport(Library, EntryPoint = "lame_set_brate")]
    public static partial int SetBitrate(IntPtr gfp, int kbps);

    [LibraryImport(Library, EntryPoint = "lame_set_quality")]
    public static partial int SetQuality(IntPtr gfp, int quality);

    [LibraryImport(Library, EntryPoint = "lame_set_bWriteVbrTag")]
    public static partial int SetWriteVbrTag(IntPtr gfp, int write);

    [LibraryImport(Library, EntryPoint = "lame_init_params")]
    public static partial int InitParams(IntPtr gfp);

    [LibraryImport(Library, EntryPoint = "lame_encode_buffer")]
    public static partial int EncodeBuffer(IntPtr gfp, short* left, short* right, int samples, byte* output, int outputSize);

    [LibraryImport(Library, EntryPoint = "lame_encode_flush")]
    public static partial int EncodeFlush(IntPtr gfp, byte* output, int outputSize);

    [LibraryImport(Library, EntryPoint = "lame_get_lametag_frame")]
    public static partial nuint GetLameTagFrame(IntPtr gfp, byte* buffer, nuint size);
}

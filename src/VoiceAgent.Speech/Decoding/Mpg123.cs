using System.Runtime.InteropServices;

namespace VoiceAgent.Speech.Decoding;

/// <summary>The few libmpg123 calls the MP3 decoder needs. C <c>long</c> is <see cref="CLong"/>.</summary>
internal static unsafe partial class Mpg123
{
    public const string Library = "libmpg123.so.0";

    public const int Ok = 0;
    public const int NeedMore = -10;
    public const int NewFormat = -11;
    public const int Done = -12;

    public const int ParamAddFlags = 2;
    public const int FlagQuiet = 0x20;
    public const int FlagMonoMix = 0x4;
    public const int ChannelsMono = 1;
    public const int EncodingSigned16 = 0xD0;

    public static readonly int[] Rates = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000];

    [LibraryImport(Library, EntryPoint = "mpg123_init")]
    public static partial int Init();

    [LibraryImport(Library, EntryPoint = "mpg123_new")]
    public static partial nint New(nint decoder, out int error);

    [LibraryImport(Library, EntryPoint = "mpg123_delete")]
    public static partial void Delete(nint handle);

    [LibraryImport(Library, EntryPoint = "mpg123_param")]
    public static partial int Param(nint handle, int type, CLong value, double fvalue);

    [LibraryImport(Library, EntryPoint = "mpg123_format_none")]
    public static partial int FormatNone(nint handle);

    [LibraryImport(Library, EntryPoint = "mpg123_format")]
    public static partial int Format(nint handle, CLong rate, int channels, int encodings);

    [LibraryImport(Library, EntryPoint = "mpg123_open_feed")]
    public static partial int OpenFeed(nint handle);

    [LibraryImport(Library, EntryPoint = "mpg123_feed")]
    public static partial int Feed(nint handle, byte* input, nuint size);

    [LibraryImport(Library, EntryPoint = "mpg123_read")]
    public static partial int Read(nint handle, byte* output, nuint size, out nuint done);

    [LibraryImport(Library, EntryPoint = "mpg123_getformat")]
    public static partial int GetFormat(nint handle, out CLong rate, out int channels, out int encoding);

    [LibraryImport(Library, EntryPoint = "mpg123_plain_strerror")]
    public static partial nint PlainStrError(int error);

    public static string Describe(int error) => Marshal.PtrToStringUTF8(PlainStrError(error)) ?? $"error {error}";

    private static readonly Lazy<string?> LoadError = new(() =>
    {
        try
        {
            NativeLibrary.Free(NativeLibrary.Load(Library));
            var result = Init();
            return result == Ok ? null : $"libmpg123 failed to initialise ({result})";
        }
        catch (DllNotFoundException)
        {
            return "MP3 audio needs libmpg123 (libmpg123.so.0), which is not installed: install the libmpg123-0 package or use audio-format linear16";
        }
    });

    /// <summary>Throws one clear line when the library is missing.</summary>
    public static void EnsureAvailable()
    {
        if (LoadError.Value is { } error) throw new SpeechSynthesisException(error);
    }
}

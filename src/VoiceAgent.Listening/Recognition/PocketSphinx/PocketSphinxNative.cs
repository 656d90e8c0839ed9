using System.Runtime.InteropServices;

namespace VoiceAgent.Listening.Recognition.PocketSphinx;

/// <summary>The parts of PocketSphinx's pre-5.0 C API (Debian/Ubuntu <c>libpocketsphinx3</c>) and
/// of sphinxbase's configuration parser this engine calls, by their SONAMEs (the unversioned
/// names exist only with the -dev packages).</summary>
internal static partial class PocketSphinxNative
{
    public const string Library = "libpocketsphinx.so.3";
    public const string BaseLibrary = "libsphinxbase.so.3";

    [LibraryImport(Library)]
    public static partial IntPtr ps_args();

    /// <summary>Parses name/value pairs (argv[0] is a value's name, not a program name).</summary>
    [LibraryImport(BaseLibrary)]
    public static partial IntPtr cmd_ln_parse_r(IntPtr config, IntPtr definitions, int argc, IntPtr[] argv, int strict);

    [LibraryImport(BaseLibrary)]
    public static partial int cmd_ln_free_r(IntPtr config);

    /// <summary>Loads the models; keeps its own reference to the configuration. Null on failure.</summary>
    [LibraryImport(Library)]
    public static partial IntPtr ps_init(IntPtr config);

    [LibraryImport(Library)]
    public static partial int ps_free(IntPtr decoder);

    [LibraryImport(Library)]
    public static partial int ps_start_utt(IntPtr decoder);

    [LibraryImport(Library)]
    public static unsafe partial int ps_process_raw(IntPtr decoder, short* data, nuint samples, int noSearch, int fullUtterance);

    [LibraryImport(Library)]
    public static partial int ps_end_utt(IntPtr decoder);

    /// <summary>The best hypothesis so far (owned by the decoder), or null.</summary>
    [LibraryImport(Library)]
    public static partial IntPtr ps_get_hyp(IntPtr decoder, out int bestScore);

    /// <summary>Whether both libraries load on this machine.</summary>
    public static bool Available(out string? problem)
    {
        foreach (var library in new[] { BaseLibrary, Library })
        {
            if (NativeLibrary.TryLoad(library, out var handle))
            {
                NativeLibrary.Free(handle);
                continue;
            }
            problem = $"{library} is not installed";
            return false;
        }
        problem = null;
        return true;
    }
}

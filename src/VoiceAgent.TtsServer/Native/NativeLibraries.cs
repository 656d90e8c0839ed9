using System.Reflection;
using System.Runtime.InteropServices;

namespace VoiceAgent.TtsServer.Native;

/// <summary>
/// Finds the server's native libraries under each system's names: the Linux sonames the imports
/// use (libespeak-ng.so.1, libmp3lame.so.0), libespeak-ng.dll from the eSpeak NG installer on
/// Windows (it is not on PATH, so its folder is searched too), and Homebrew's dylibs on macOS.
/// </summary>
internal static class NativeLibraries
{
    private static int _registered;

    /// <summary>Installs the resolver for this assembly, once.</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0)
            NativeLibrary.SetDllImportResolver(typeof(NativeLibraries).Assembly, Resolve);
    }

    /// <summary>The names and paths tried for <paramref name="library"/> on <paramref name="os"/>, in order.</summary>
    public static IReadOnlyList<string> Candidates(string library, OSPlatform os, string programFiles = "")
    {
        var stem = library.Split(".so")[0]; // libespeak-ng, libmp3lame
        if (os == OSPlatform.Windows)
        {
            List<string> names = [stem + ".dll", stem[3..] + ".dll"];
            if (stem == "libespeak-ng" && programFiles.Length > 0) names.Add(Path.Combine(programFiles, "eSpeak NG", "libespeak-ng.dll"));
            return names;
        }
        if (os == OSPlatform.OSX)
            return [stem + ".dylib", "/opt/homebrew/lib/" + stem + ".dylib", "/usr/local/lib/" + stem + ".dylib"];
        return [library];
    }

    private static IntPtr Resolve(string library, Assembly assembly, DllImportSearchPath? searchPath)
    {
        var os = OperatingSystem.IsWindows() ? OSPlatform.Windows : OperatingSystem.IsMacOS() ? OSPlatform.OSX : OSPlatform.Linux;
        foreach (var candidate in Candidates(library, os, Environment.GetFolderPath(Environment.SpecialFolder.ProgramFiles)))
        {
            // (The eSpeak NG installer also records its data folder in the registry, where the library looks.)
            if (Path.IsPathRooted(candidate))
            {
                if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var loaded)) return loaded;
            }
            else if (NativeLibrary.TryLoad(candidate, assembly, searchPath, out var handle))
            {
                return handle;
            }
        }
        return IntPtr.Zero; // the default probing then reports the library as missing
    }
}

using System.Runtime.InteropServices;

namespace VoiceAgent.TtsServer.Native;

/// <summary>The few libespeak-ng entry points the server uses (speak_lib.h). espeak-ng keeps one
/// global engine per process, so every call must come from one thread at a time.</summary>
internal static unsafe partial class EspeakNative
{
    private const string Library = "libespeak-ng.so.1";

    // Under each system's own library names (NativeLibraries), before the first call.
    static EspeakNative() => NativeLibraries.Register();

    /// <summary>Like retrieval mode, but espeak_Synth returns only when synthesis is complete and
    /// the callback runs on the calling thread.</summary>
    public const int AudioOutputSynchronous = 2;
    public const int InitializeDontExit = 0x8000;
    public const int CharsUtf8 = 1;
    public const int EndPause = 0x1000;
    public const int PositionCharacter = 1;
    public const int ParameterRate = 1;
    public const int RateMinimum = 80;
    public const int RateMaximum = 450;
    public const int RateNormal = 175;
    public const int ErrorOk = 0;

    [LibraryImport(Library, EntryPoint = "espeak_Initialize")]
    public static partial int Initialize(int output, int bufferMilliseconds, byte* path, int options);

    [LibraryImport(Library, EntryPoint = "espeak_SetSynthCallback")]
    public static partial void SetSynthCallback(delegate* unmanaged[Cdecl]<short*, int, IntPtr, int> callback);

    [LibraryImport(Library, EntryPoint = "espeak_Synth")]
    public static partial int Synth(byte* text, nuint size, uint position, int positionType, uint endPosition, uint flags, uint* uniqueIdentifier, void* userData);

    [LibraryImport(Library, EntryPoint = "espeak_SetVoiceByName")]
    public static partial int SetVoiceByName(byte* name);

    [LibraryImport(Library, EntryPoint = "espeak_SetParameter")]
    public static partial int SetParameter(int parameter, int value, int relative);

    /// <summary>Returns a NULL-terminated array of espeak_VOICE pointers.</summary>
    [LibraryImport(Library, EntryPoint = "espeak_ListVoices")]
    public static partial IntPtr* ListVoices(void* voiceSpec);

    /// <summary>Layout of espeak_VOICE (only the leading fields are read).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Voice
    {
        public byte* Name;
        public byte* Languages;
        public byte* Identifier;
        public byte Gender;
        public byte Age;
        public byte Variant;
        public byte Reserved;
        public int Score;
        public void* Spare;
    }
}

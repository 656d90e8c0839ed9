using System.Runtime.InteropServices;

namespace VoiceAgent.Audio.Pulse;

/// <summary>The parts of libpulse-simple (and pa_strerror from libpulse) this module calls.</summary>
internal static partial class PulseSimpleNative
{
    public const string SimpleLibrary = "libpulse-simple.so.0";
    public const string PulseLibrary = "libpulse.so.0";

    public const int StreamPlayback = 1;
    public const int StreamRecord = 2;
    public const int SampleS16Le = 3;

    /// <summary>pa_sample_spec.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SampleSpec
    {
        public int Format;
        public uint Rate;
        public byte Channels;
    }

    /// <summary>pa_buffer_attr; uint.MaxValue means "server default".</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct BufferAttr
    {
        public uint MaxLength;
        public uint TLength;
        public uint PreBuf;
        public uint MinReq;
        public uint FragSize;
    }

    [LibraryImport(SimpleLibrary, StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr pa_simple_new(string? server, string name, int direction, string? device, string streamName,
        ref SampleSpec spec, IntPtr channelMap, ref BufferAttr attributes, out int error);

    [LibraryImport(SimpleLibrary)]
    public static partial void pa_simple_free(IntPtr stream);

    [LibraryImport(SimpleLibrary)]
    public static unsafe partial int pa_simple_write(IntPtr stream, void* data, nuint bytes, out int error);

    [LibraryImport(SimpleLibrary)]
    public static unsafe partial int pa_simple_read(IntPtr stream, void* data, nuint bytes, out int error);

    [LibraryImport(SimpleLibrary)]
    public static partial int pa_simple_drain(IntPtr stream, out int error);

    [LibraryImport(SimpleLibrary)]
    public static partial int pa_simple_flush(IntPtr stream, out int error);

    [LibraryImport(SimpleLibrary)]
    public static partial ulong pa_simple_get_latency(IntPtr stream, out int error);

    [LibraryImport(PulseLibrary)]
    public static partial IntPtr pa_strerror(int error);

    public static string ErrorText(int error)
    {
        try
        {
            return Marshal.PtrToStringUTF8(pa_strerror(error)) ?? $"error {error}";
        }
        catch (DllNotFoundException)
        {
            return $"error {error}";
        }
    }
}

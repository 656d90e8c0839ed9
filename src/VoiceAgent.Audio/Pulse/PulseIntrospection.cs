using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using VoiceAgent.Audio.Capture;

namespace VoiceAgent.Audio.Pulse;

/// <summary>
/// Lists sources and sinks through libpulse's introspection API (libpulse-simple cannot list).
/// Runs its own non-threaded main loop for the few round trips it needs and never autospawns a
/// server. Reads only the leading, stable fields of pa_sink_info / pa_source_info / pa_server_info.
/// </summary>
internal static unsafe partial class PulseIntrospection
{
    private const string Lib = PulseSimpleNative.PulseLibrary;
    private const int ContextNoAutospawn = 1;
    private const int ContextReady = 4;
    private const int ContextFailed = 5;
    private const int ContextTerminated = 6;
    private const int OperationRunning = 0;

    // Offsets into the C structs (LP64): name, index, description lead both info structs;
    // pa_source_info.monitor_of_sink follows sample_spec (12), channel_map (132), owner_module (4),
    // volume (132) and mute (4).
    private const int InfoName = 0;
    private const int InfoDescription = 16;
    private const int SourceMonitorOfSink = 308;
    private const int ServerDefaultSink = 48;
    private const int ServerDefaultSource = 56;

    /// <param name="server">A server address ("unix:/path", "tcp:host"); null uses PULSE_SERVER or the default.</param>
    public static AudioDeviceList List(TimeSpan timeout, string? server = null)
    {
        if (IntPtr.Size != 8) throw new AudioDeviceException("device listing needs a 64-bit process");
        var deadline = DateTime.UtcNow + timeout;
        IntPtr loop, context;
        try
        {
            loop = pa_mainloop_new();
        }
        catch (DllNotFoundException)
        {
            throw new AudioDeviceException($"{Lib} is not installed (Debian/Ubuntu: apt-get install libpulse0)");
        }
        var state = new ListState();
        var handle = GCHandle.Alloc(state);
        context = pa_context_new(pa_mainloop_get_api(loop), "voice-agent devices");
        try
        {
            if (pa_context_connect(context, server, ContextNoAutospawn, IntPtr.Zero) < 0)
                throw Failure(context, "connect", server);
            while (true)
            {
                var s = pa_context_get_state(context);
                if (s == ContextReady) break;
                if (s is ContextFailed or ContextTerminated) throw Failure(context, "connect", server);
                Iterate(loop, deadline);
            }
            var user = GCHandle.ToIntPtr(handle);
            Run(loop, pa_context_get_server_info(context, &OnServerInfo, user), deadline);
            Run(loop, pa_context_get_sink_info_list(context, &OnSinkInfo, user), deadline);
            Run(loop, pa_context_get_source_info_list(context, &OnSourceInfo, user), deadline);
            pa_context_disconnect(context);
        }
        finally
        {
            pa_context_unref(context);
            pa_mainloop_free(loop);
            handle.Free();
        }
        var sinks = state.Sinks.Select(d => d with { IsDefault = d.Name == state.DefaultSink }).ToList();
        var sources = state.Sources.Select(d => d with { IsDefault = d.Name == state.DefaultSource }).ToList();
        return new AudioDeviceList(ServerName(server), sources, sinks);
    }

    internal static string ServerName(string? server) =>
        server is { Length: > 0 } ? server : Environment.GetEnvironmentVariable("PULSE_SERVER") is { Length: > 0 } s ? s : "the default server";

    private static void Run(IntPtr loop, IntPtr operation, DateTime deadline)
    {
        if (operation == IntPtr.Zero) throw new AudioDeviceException("PulseAudio refused the device query");
        try
        {
            while (pa_operation_get_state(operation) == OperationRunning) Iterate(loop, deadline);
        }
        finally
        {
            pa_operation_unref(operation);
        }
    }

    private static void Iterate(IntPtr loop, DateTime deadline)
    {
        if (DateTime.UtcNow > deadline) throw new AudioDeviceException("the PulseAudio server did not answer in time");
        // Non-blocking, so the deadline holds even if the server stops answering.
        if (pa_mainloop_iterate(loop, 0, out _) == 0) Thread.Sleep(1);
    }

    private static AudioDeviceException Failure(IntPtr context, string what, string? server) =>
        new($"PulseAudio {what} to {ServerName(server)} failed: {PulseSimpleNative.ErrorText(pa_context_errno(context))}");

    private static ListState StateOf(IntPtr user) => (ListState)GCHandle.FromIntPtr(user).Target!;

    private static string Text(IntPtr info, int offset) => Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(info, offset)) ?? "";

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnServerInfo(IntPtr context, IntPtr info, IntPtr user)
    {
        if (info == IntPtr.Zero) return;
        var state = StateOf(user);
        state.DefaultSink = Text(info, ServerDefaultSink);
        state.DefaultSource = Text(info, ServerDefaultSource);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnSinkInfo(IntPtr context, IntPtr info, int eol, IntPtr user)
    {
        if (eol != 0 || info == IntPtr.Zero) return;
        StateOf(user).Sinks.Add(new AudioDevice(Text(info, InfoName), Text(info, InfoDescription), AudioDeviceKind.Sink, false, false));
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnSourceInfo(IntPtr context, IntPtr info, int eol, IntPtr user)
    {
        if (eol != 0 || info == IntPtr.Zero) return;
        var monitor = (uint)Marshal.ReadInt32(info, SourceMonitorOfSink) != uint.MaxValue;
        StateOf(user).Sources.Add(new AudioDevice(Text(info, InfoName), Text(info, InfoDescription), AudioDeviceKind.Source, false, monitor));
    }

    private sealed class ListState
    {
        public string DefaultSink = "";
        public string DefaultSource = "";
        public List<AudioDevice> Sinks { get; } = new();
        public List<AudioDevice> Sources { get; } = new();
    }

    [LibraryImport(Lib)]
    private static partial IntPtr pa_mainloop_new();

    [LibraryImport(Lib)]
    private static partial IntPtr pa_mainloop_get_api(IntPtr loop);

    [LibraryImport(Lib)]
    private static partial int pa_mainloop_iterate(IntPtr loop, int block, out int result);

    [LibraryImport(Lib)]
    private static partial void pa_mainloop_free(IntPtr loop);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr pa_context_new(IntPtr api, string name);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int pa_context_connect(IntPtr context, string? server, int flags, IntPtr spawnApi);

    [LibraryImport(Lib)]
    private static partial int pa_context_get_state(IntPtr context);

    [LibraryImport(Lib)]
    private static partial int pa_context_errno(IntPtr context);

    [LibraryImport(Lib)]
    private static partial void pa_context_disconnect(IntPtr context);

    [LibraryImport(Lib)]
    private static partial void pa_context_unref(IntPtr context);

    [LibraryImport(Lib)]
    private static partial IntPtr pa_context_get_server_info(IntPtr context, delegate* unmanaged[Cdecl]<IntPtr, IntPtr, IntPtr, void> callback, IntPtr user);

    [LibraryImport(Lib)]
    private static partial IntPtr pa_context_get_sink_info_list(IntPtr context, delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int, IntPtr, void> callback, IntPtr user);

    [LibraryImport(Lib)]
    private static partial IntPtr pa_context_get_source_info_list(IntPtr context, delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int, IntPtr, void> callback, IntPtr user);

    [LibraryImport(Lib)]
    private static partial int pa_operation_get_state(IntPtr operation);

    [LibraryImport(Lib)]
    private static partial void pa_operation_unref(IntPtr operation);
}

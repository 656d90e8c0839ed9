using VoiceAgent.Audio.Capture;
using VoiceAgent.Audio.Hosting;
using VoiceAgent.Audio.Pulse;

namespace VoiceAgent.Audio;

public enum AudioDeviceKind
{
    /// <summary>Something to record from (a microphone, or a sink's monitor).</summary>
    Source,
    /// <summary>Something to play to.</summary>
    Sink,
}

/// <summary>One source or sink. <paramref name="Name"/> is what <c>audio.input-device</c> /
/// <c>audio.output-device</c> take.</summary>
public sealed record AudioDevice(string Name, string Description, AudioDeviceKind Kind, bool IsDefault, bool IsMonitor);

/// <summary>The devices of one backend; <paramref name="Server"/> says where they were found (the
/// PulseAudio server's address, or "Windows audio (WASAPI)").</summary>
public sealed record AudioDeviceList(string Server, IReadOnlyList<AudioDevice> Sources, IReadOnlyList<AudioDevice> Sinks);

/// <summary>The devices of a backend, for <c>voice-agent devices</c>.</summary>
public static class AudioDevices
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Lists the sources and sinks of the PulseAudio (or PipeWire-Pulse) server. Throws
    /// <see cref="AudioDeviceException"/> (one line) when no server answers or libpulse is missing.</summary>
    /// <param name="server">A server address ("unix:/path/native", "tcp:host"); null uses PULSE_SERVER or the default.</param>
    public static Task<AudioDeviceList> ListAsync(string? server = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => PulseIntrospection.List(timeout ?? DefaultTimeout, server), cancellationToken);

    /// <summary>Lists the devices of <paramref name="backend"/> (<c>auto</c>: this system's). Throws
    /// <see cref="AudioDeviceException"/> (one line) when it has none to list or cannot list them.</summary>
    public static Task<AudioDeviceList> ListAsync(AudioBackendKind backend, CancellationToken cancellationToken = default)
    {
        var devices = AudioBackendCatalog.For(backend)
            ?? throw new AudioDeviceException($"audio.backend = {backend.ToString().ToLowerInvariant()} uses no devices; set audio.backend = pulse or naudio to list them");
        return Task.Run(() => devices.ListDevices(DefaultTimeout), cancellationToken);
    }
}

using VoiceAgent.Audio.Capture;
using VoiceAgent.Audio.Pulse;

namespace VoiceAgent.Audio;

public enum AudioDeviceKind
{
    /// <summary>Something to record from (a microphone, or a sink's monitor).</summary>
    Source,
    /// <summary>Something to play to.</summary>
    Sink,
}

/// <summary>One PulseAudio source or sink. <paramref name="Name"/> is what
/// <c>audio.input-device</c> / <c>audio.output-device</c> take.</summary>
public sealed record AudioDevice(string Name, string Description, AudioDeviceKind Kind, bool IsDefault, bool IsMonitor);

public sealed record AudioDeviceList(string Server, IReadOnlyList<AudioDevice> Sources, IReadOnlyList<AudioDevice> Sinks);

/// <summary>The devices of the PulseAudio (or PipeWire-Pulse) server, for <c>voice-agent devices</c>.</summary>
public static class AudioDevices
{
    /// <summary>Lists sources and sinks. Throws <see cref="AudioDeviceException"/> (one line) when
    /// no server answers or libpulse is missing.</summary>
    /// <param name="server">A server address ("unix:/path/native", "tcp:host"); null uses PULSE_SERVER or the default.</param>
    public static Task<AudioDeviceList> ListAsync(string? server = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => PulseIntrospection.List(timeout ?? TimeSpan.FromSeconds(3), server), cancellationToken);
}

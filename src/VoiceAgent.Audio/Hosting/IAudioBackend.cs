using VoiceAgent.Audio.Capture;
using VoiceAgent.Audio.Output;
using VoiceAgent.Audio.Pulse;
using VoiceAgent.Audio.Windows;

namespace VoiceAgent.Audio.Hosting;

/// <summary>A family of audio devices (<c>audio.backend</c>): opens outputs and captures and lists
/// devices. Each call throws <see cref="AudioDeviceException"/> (one line) for a device problem.</summary>
public interface IAudioBackend
{
    /// <summary>The <c>audio.backend</c> value ("pulse", "naudio").</summary>
    string Name { get; }

    IAudioOutput OpenOutput(AudioSettings settings);

    IAudioCapture OpenCapture(AudioSettings settings);

    AudioDeviceList ListDevices(TimeSpan timeout);
}

/// <summary>The device backends by kind.</summary>
public static class AudioBackendCatalog
{
    public static IAudioBackend Pulse { get; } = new PulseAudioBackend();

    public static IAudioBackend NAudio { get; } = new NAudioBackend();

    /// <summary>The backend of <paramref name="kind"/>, or null for the kinds without devices (wav, none).</summary>
    public static IAudioBackend? For(AudioBackendKind kind) => kind switch
    {
        AudioBackendKind.Auto => For(AudioSettings.PlatformBackend),
        AudioBackendKind.Pulse => Pulse,
        AudioBackendKind.NAudio => NAudio,
        _ => null,
    };
}

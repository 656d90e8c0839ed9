using VoiceAgent.Audio.Capture;
using VoiceAgent.Audio.Output;

namespace VoiceAgent.Audio.Hosting;

/// <summary>
/// A device family that lives in an optional assembly (NAudio on Windows). This assembly never
/// references it: <see cref="AudioBackends"/> loads it by name from the application folder.
/// </summary>
public interface IAudioBackend
{
    string Name { get; }

    IAudioOutput OpenOutput(AudioSettings settings);

    IAudioCapture OpenCapture(AudioSettings settings);

    IReadOnlyList<AudioDevice> ListDevices();
}

/// <summary>Finds optional backends by assembly-qualified type name.</summary>
public static class OptionalBackends
{
    public const string NAudioType = "VoiceAgent.Audio.NAudio.NAudioBackend, VoiceAgent.Audio.NAudio";

    /// <summary>The NAudio backend, or an <see cref="AudioDeviceException"/> saying how to get it.</summary>
    public static IAudioBackend NAudio()
    {
        Type? type;
        try
        {
            type = Type.GetType(NAudioType, throwOnError: false);
        }
        catch (Exception e) when (e is FileLoadException or BadImageFormatException)
        {
            type = null;
        }
        if (type is null || !typeof(IAudioBackend).IsAssignableFrom(type))
            throw new AudioDeviceException("the NAudio backend is not installed: build src/VoiceAgent.Audio.NAudio with -p:WithNAudio=true on Windows and copy its output beside voice-agent.dll (see docs/audio.md)");
        return (IAudioBackend)Activator.CreateInstance(type)!;
    }
}

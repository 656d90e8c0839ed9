using NAudio.Wave;
using VoiceAgent.Audio.Capture;
using VoiceAgent.Audio.Hosting;
using VoiceAgent.Audio.Output;

namespace VoiceAgent.Audio.NAudio;

/// <summary>
/// Windows devices for <c>audio.input/output = naudio</c>, found by VoiceAgent.Audio at run time
/// (it never references this assembly). <c>input-device</c> / <c>output-device</c> take a device
/// number or part of a device's product name; empty is the default device.
/// </summary>
public sealed class NAudioBackend : IAudioBackend
{
    public string Name => "naudio";

    public IAudioOutput OpenOutput(AudioSettings settings)
    {
        var (number, name) = Find(settings.OutputDevice, WaveOut.DeviceCount, i => WaveOut.GetCapabilities(i).ProductName);
        try
        {
            return new NAudioOutput(number, name, settings.OutputSampleRate, settings.PlaybackBuffer);
        }
        catch (Exception e) when (e is not AudioDeviceException)
        {
            throw new AudioDeviceException($"cannot open {name} for playback: {e.Message}", e);
        }
    }

    public IAudioCapture OpenCapture(AudioSettings settings)
    {
        var (number, name) = Find(settings.InputDevice, WaveInEvent.DeviceCount, i => WaveInEvent.GetCapabilities(i).ProductName);
        return new NAudioCapture(number, name);
    }

    public IReadOnlyList<AudioDevice> ListDevices()
    {
        var devices = new List<AudioDevice>();
        for (var i = 0; i < WaveInEvent.DeviceCount; i++)
            devices.Add(new AudioDevice(i.ToString(), WaveInEvent.GetCapabilities(i).ProductName, AudioDeviceKind.Source, false, false));
        for (var i = 0; i < WaveOut.DeviceCount; i++)
            devices.Add(new AudioDevice(i.ToString(), WaveOut.GetCapabilities(i).ProductName, AudioDeviceKind.Sink, false, false));
        return devices;
    }

    private static (int Number, string Name) Find(string wanted, int count, Func<int, string> productName)
    {
        if (string.IsNullOrWhiteSpace(wanted)) return (-1, "naudio:default");
        if (int.TryParse(wanted, out var number) && number >= 0 && number < count) return (number, "naudio:" + productName(number));
        for (var i = 0; i < count; i++)
            if (productName(i).Contains(wanted, StringComparison.OrdinalIgnoreCase)) return (i, "naudio:" + productName(i));
        throw new AudioDeviceException($"no Windows audio device matches \"{wanted}\" ({count} found; list them with: voice-agent devices)");
    }
}

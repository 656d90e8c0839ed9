using VoiceAgent.Audio.Capture;
using VoiceAgent.Audio.Hosting;
using VoiceAgent.Audio.NAudio;
using VoiceAgent.Audio.Output;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Audio.Windows;

/// <summary>
/// <c>audio.backend = naudio</c>: Windows devices through the thin adapter in
/// VoiceAgent.Audio.NAudio (WASAPI shared mode, WinMM as fallback). Everything above the device
/// is the shared code every backend uses: <see cref="WavePlayerOutput"/> and <see cref="WaveInCapture"/>.
/// <c>output-device</c> / <c>input-device</c> take any part of a device's name (see
/// <c>voice-agent devices</c>); empty is the default device. Where Windows audio does not exist,
/// every call fails with one <see cref="AudioDeviceException"/> line.
/// </summary>
internal sealed class NAudioBackend : IAudioBackend
{
    public string Name => "naudio";

    public IAudioOutput OpenOutput(AudioSettings settings) => Translate(() =>
        new WavePlayerOutput(source => WindowsAudio.StartPlayer(settings.OutputDevice, source), settings.OutputSampleRate, settings.PlaybackBuffer));

    public IAudioCapture OpenCapture(AudioSettings settings) => Translate(() =>
    {
        var recorder = WindowsAudio.OpenRecorder(settings.InputDevice, CaptureFormat.SampleRate, WindowsAudio.DeviceBufferMilliseconds);
        return new WaveInCapture(recorder, () => recorder.Name);
    });

    public AudioDeviceList ListDevices(TimeSpan timeout) => Translate(() =>
    {
        var found = WindowsAudio.ListEndpoints();
        AudioDevice Device(WindowsAudioEndpoint e) =>
            new(e.Name, e.Id, e.IsCapture ? AudioDeviceKind.Source : AudioDeviceKind.Sink, e.IsDefault, false);
        return new AudioDeviceList($"Windows audio ({found.Api})",
            found.Endpoints.Where(e => e.IsCapture).Select(Device).ToList(),
            found.Endpoints.Where(e => !e.IsCapture).Select(Device).ToList());
    });

    private static T Translate<T>(Func<T> open)
    {
        try
        {
            return open();
        }
        // The adapter's own line (also when the shared capture code wrapped it while starting).
        catch (Exception e) when ((e as WindowsAudioException ?? e.InnerException as WindowsAudioException) is { } windows)
        {
            var hint = OperatingSystem.IsWindows() ? "" : "; audio.backend = naudio is for Windows";
            throw new AudioDeviceException(windows.Message + hint, windows);
        }
    }
}

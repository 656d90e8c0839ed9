using VoiceAgent.Audio.Capture;
using VoiceAgent.Audio.Hosting;
using VoiceAgent.Audio.Output;

namespace VoiceAgent.Audio.Pulse;

/// <summary><c>audio.backend = pulse</c>: PulseAudio, or PipeWire's PulseAudio service (Linux's default).</summary>
internal sealed class PulseAudioBackend : IAudioBackend
{
    public string Name => "pulse";

    public IAudioOutput OpenOutput(AudioSettings settings) =>
        new PulseAudioOutput(settings.OutputDevice, settings.OutputSampleRate, settings.PlaybackBuffer, settings.PlaybackPiece);

    public IAudioCapture OpenCapture(AudioSettings settings) => new PulseAudioCapture(settings.InputDevice);

    public AudioDeviceList ListDevices(TimeSpan timeout) => PulseIntrospection.List(timeout);
}

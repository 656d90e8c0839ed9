using VoiceAgent.Audio.Capture;
using VoiceAgent.Audio.Output;
using VoiceAgent.Audio.Pulse;
using VoiceAgent.Protocol;

namespace VoiceAgent.Audio.Hosting;

/// <summary>Opens the configured capture and output devices, falling back instead of failing:
/// a missing server or device becomes one notice, and the app carries on in text mode.</summary>
public static class AudioBackends
{
    /// <summary>Opens the output; never throws for a device problem (falls back to none).</summary>
    public static IAudioOutput OpenOutput(AudioSettings settings, out StatusNotice? notice)
    {
        notice = null;
        switch (settings.Output)
        {
            case AudioOutputKind.None:
                return new NullAudioOutput(settings.OutputSampleRate);
            case AudioOutputKind.Wav:
                return new WavFileOutput(settings.OutputFile, settings.OutputSampleRate, realTime: true);
        }
        try
        {
            if (settings.Output == AudioOutputKind.NAudio) return OptionalBackends.NAudio().OpenOutput(settings);
            return new PulseAudioOutput(settings.OutputDevice, settings.OutputSampleRate, settings.PlaybackBuffer, settings.PlaybackPiece);
        }
        catch (AudioDeviceException e)
        {
            notice = settings.Output == AudioOutputKind.Auto
                ? new StatusNotice("audio", $"no audio output ({e.Message}); replies are shown as text", NoticeLevel.Info)
                : new StatusNotice("audio", $"{e.Message}; replies are shown as text (check the server, or set audio.output = none)", NoticeLevel.Warning);
            return new NullAudioOutput(settings.OutputSampleRate);
        }
    }

    /// <summary>Opens the capture source, or returns null (with a notice) when there is none:
    /// then the app runs in text mode.</summary>
    public static IAudioCapture? OpenCapture(AudioSettings settings, out StatusNotice? notice)
    {
        notice = null;
        try
        {
            switch (settings.Input)
            {
                case AudioInputKind.None:
                    return null;
                case AudioInputKind.Wav:
                    return new WavFileCapture(settings.InputFile, settings.InputRealTime);
                case AudioInputKind.NAudio:
                    return OptionalBackends.NAudio().OpenCapture(settings);
                default:
                    return new PulseAudioCapture(settings.InputDevice);
            }
        }
        catch (AudioDeviceException e)
        {
            notice = settings.Input == AudioInputKind.Auto
                ? new StatusNotice("audio", $"no microphone ({e.Message}); type to talk", NoticeLevel.Info)
                : new StatusNotice("audio", $"{e.Message}; type to talk (check the device, or set audio.input = none)", NoticeLevel.Warning);
            return null;
        }
    }
}

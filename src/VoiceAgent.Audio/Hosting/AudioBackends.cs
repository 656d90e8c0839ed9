using VoiceAgent.Audio.Capture;
using VoiceAgent.Audio.Output;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Audio.Hosting;

/// <summary>Opens the configured capture and output devices, falling back instead of failing:
/// a missing server or device becomes one notice, and the app carries on in text mode.</summary>
public static class AudioBackends
{
    /// <summary>Opens the output; never throws for a device problem (falls back to none).</summary>
    public static IAudioOutput OpenOutput(AudioSettings settings, out StatusNotice? notice)
    {
        notice = null;
        var kind = settings.EffectiveOutput;
        switch (kind)
        {
            case AudioOutputKind.None:
                return new NullAudioOutput(settings.OutputSampleRate);
            case AudioOutputKind.Wav:
                return new WavFileOutput(settings.OutputFile, settings.OutputSampleRate, realTime: true);
        }
        try
        {
            return Backend(kind == AudioOutputKind.NAudio).OpenOutput(settings);
        }
        catch (AudioDeviceException e)
        {
            notice = settings.OutputIsAutomatic
                ? new StatusNotice("audio", $"no audio output ({e.Message}); replies are shown as text", NoticeLevel.Info)
                : new StatusNotice("audio", $"{e.Message}; replies are shown as text (check the device, or set audio.output = none)", NoticeLevel.Warning);
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
            return settings.EffectiveInput switch
            {
                AudioInputKind.None => null,
                AudioInputKind.Wav => new WavFileCapture(settings.InputFile, settings.InputRealTime),
                AudioInputKind.NAudio => Backend(naudio: true).OpenCapture(settings),
                _ => Backend(naudio: false).OpenCapture(settings),
            };
        }
        catch (AudioDeviceException e)
        {
            notice = settings.InputIsAutomatic
                ? new StatusNotice("audio", $"no microphone ({e.Message}); type to talk", NoticeLevel.Info)
                : new StatusNotice("audio", $"{e.Message}; type to talk (check the device, or set audio.input = none)", NoticeLevel.Warning);
            return null;
        }
    }

    private static IAudioBackend Backend(bool naudio) => naudio ? AudioBackendCatalog.NAudio : AudioBackendCatalog.Pulse;
}

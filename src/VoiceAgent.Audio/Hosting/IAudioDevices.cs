using VoiceAgent.Audio.Capture;
using VoiceAgent.Audio.Output;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Audio.Hosting;

/// <summary>
/// Where the assistant's sound goes and comes from: the configured devices, or anything that
/// stands in for them (a simulated room). The audio actors open them through this, at start and
/// again after a restart.
/// </summary>
public interface IAudioDevices
{
    /// <summary>How much audio playback hands the output at a time.</summary>
    TimeSpan PlaybackPiece { get; }

    /// <summary>The clock the devices run on; null for the system clock.</summary>
    TimeProvider? Clock => null;

    /// <summary>Opens the output; a device problem falls back to a silent output and a notice.</summary>
    IAudioOutput OpenOutput(out StatusNotice? notice);

    /// <summary>Opens the capture source, or returns null (with a notice) when there is none.</summary>
    IAudioCapture? OpenCapture(out StatusNotice? notice);
}

/// <summary>The devices <c>voice-agent.audio</c> names (PulseAudio, NAudio, WAV files or none).</summary>
public sealed class ConfiguredAudioDevices(AudioSettings settings) : IAudioDevices
{
    public TimeSpan PlaybackPiece => settings.PlaybackPiece;

    public IAudioOutput OpenOutput(out StatusNotice? notice) => AudioBackends.OpenOutput(settings, out notice);

    public IAudioCapture? OpenCapture(out StatusNotice? notice) => AudioBackends.OpenCapture(settings, out notice);
}

using VoiceAgent.Audio.Capture;
using VoiceAgent.Audio.Hosting;
using VoiceAgent.Audio.Output;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Audio.Room;

/// <summary>A room that is both the speakers and the microphone (the virtual room of scenarios and
/// benchmarks): the same object every time, never a notice.</summary>
public sealed class RoomAudioDevices<TRoom>(TRoom room, TimeSpan playbackPiece, TimeProvider? clock = null) : IAudioDevices
    where TRoom : IAudioOutput, IAudioCapture
{
    public TimeSpan PlaybackPiece => playbackPiece;

    public TimeProvider? Clock => clock;

    public IAudioOutput OpenOutput(out StatusNotice? notice)
    {
        notice = null;
        return room;
    }

    public IAudioCapture? OpenCapture(out StatusNotice? notice)
    {
        notice = null;
        return room;
    }
}

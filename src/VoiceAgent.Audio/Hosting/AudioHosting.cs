using Akka.Actor;
using Akka.Hosting;
using VoiceAgent.Audio.Capture;
using VoiceAgent.Audio.Output;
using VoiceAgent.Pipeline;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Audio.Hosting;

public static class AudioHosting
{
    /// <summary>Creates the PlaybackActor on the devices' output (registered under
    /// <see cref="PlaybackActorKey"/>); a missing device falls back to none with one notice.</summary>
    public static AkkaConfigurationBuilder WithPlayback(this AkkaConfigurationBuilder builder, IAudioDevices devices) =>
        builder.WithActors((system, registry) =>
        {
            var output = devices.OpenOutput(out var notice);
            if (notice is not null) system.EventStream.Publish(notice);
            var outputs = ReopenAfterFirst(output, () => devices.OpenOutput(out _));
            var recognizer = registry.PeerOrNobody<RecognizerActorKey>();
            var playback = system.ActorOf(Props.Create(() => new PlaybackActor(outputs, recognizer, devices.PlaybackPiece, devices.Clock)), "playback");
            system.EventStream.Subscribe(playback, PlaybackActor.Facts);
            registry.Register<PlaybackActorKey>(playback);
        });

    /// <summary>Creates the MicrophoneActor on the devices' capture (registered under
    /// <see cref="MicrophoneActorKey"/>), or leaves it out with one notice when there is none.</summary>
    public static AkkaConfigurationBuilder WithMicrophone(this AkkaConfigurationBuilder builder, IAudioDevices devices) =>
        builder.WithActors((system, registry) =>
        {
            var capture = devices.OpenCapture(out var notice);
            if (notice is not null) system.EventStream.Publish(notice);
            if (capture is null) return;
            var captures = ReopenAfterFirst(capture, () => devices.OpenCapture(out _) ?? throw new AudioDeviceException("the microphone is gone"));
            var recognizer = registry.PeerOrNobody<RecognizerActorKey>();
            var microphone = system.ActorOf(Props.Create(() => new MicrophoneActor(captures, recognizer, true, devices.Clock)), "microphone");
            registry.Register<MicrophoneActorKey>(microphone);
        });

    /// <summary>Hands out the device opened at start first (so its notice was shown once), then
    /// opens a fresh one for each restart.</summary>
    private static Func<T> ReopenAfterFirst<T>(T first, Func<T> reopen) where T : class
    {
        T? pending = first;
        return () => Interlocked.Exchange(ref pending, null) ?? reopen();
    }
}

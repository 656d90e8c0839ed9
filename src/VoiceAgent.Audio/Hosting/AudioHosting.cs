using Akka.Actor;
using Akka.Hosting;
using VoiceAgent.Audio.Capture;
using VoiceAgent.Audio.Output;
using VoiceAgent.Protocol;

namespace VoiceAgent.Audio.Hosting;

public static class AudioHosting
{
    /// <summary>
    /// Creates the PlaybackActor and (when there is an input) the MicrophoneActor from
    /// <c>voice-agent.audio</c>, registered under <see cref="PlaybackActorKey"/> and
    /// <see cref="MicrophoneActorKey"/>. Bad settings throw InvalidConfigurationException (one line,
    /// naming the key); a missing device or server does not: playback falls back to none and the
    /// microphone is left out, each with one <see cref="StatusNotice"/>.
    /// </summary>
    public static AkkaConfigurationBuilder WithAudio(this AkkaConfigurationBuilder builder, Akka.Configuration.Config root)
    {
        var settings = AudioSettings.FromConfig(root);
        return builder.WithAudio(settings);
    }

    /// <inheritdoc cref="WithAudio(AkkaConfigurationBuilder, Akka.Configuration.Config)"/>
    public static AkkaConfigurationBuilder WithAudio(this AkkaConfigurationBuilder builder, AudioSettings settings) =>
        builder.WithActors((system, registry) =>
        {
            var output = AudioBackends.OpenOutput(settings, out var outputNotice);
            if (outputNotice is not null) system.EventStream.Publish(outputNotice);
            var outputs = ReopenAfterFirst(output, () => AudioBackends.OpenOutput(settings, out _));
            var playback = system.ActorOf(Props.Create(() => new PlaybackActor(outputs, settings.PlaybackPiece, null)), "playback");
            registry.Register<PlaybackActorKey>(playback);

            var capture = AudioBackends.OpenCapture(settings, out var captureNotice);
            if (captureNotice is not null) system.EventStream.Publish(captureNotice);
            if (capture is null) return;
            var captures = ReopenAfterFirst(capture, () => AudioBackends.OpenCapture(settings, out _) ?? throw new AudioDeviceException("the microphone is gone"));
            var microphone = system.ActorOf(Props.Create(() => new MicrophoneActor(captures, true, null)), "microphone");
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

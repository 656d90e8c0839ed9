using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VoiceAgent.Audio;
using VoiceAgent.Audio.Capture;
using VoiceAgent.Audio.Hosting;
using VoiceAgent.Audio.Output;
using VoiceAgent.Conversation;
using VoiceAgent.Listening;
using VoiceAgent.Protocol;
using VoiceAgent.Speech;

namespace VoiceAgent.Simulation;

/// <summary>
/// The assistant's pipeline wired to a simulated room instead of devices: microphone, recognizer
/// (VAD, echo canceller, barge-in), conversation, TTS client on the given server, playback. One
/// place for the scenarios and the benchmarks that run a whole conversation, so both measure the
/// same pipeline.
/// </summary>
public static class RoomPipelineHost
{
    /// <param name="room">What playback writes to and the microphone reads from.</param>
    /// <param name="observer">An actor started first, to watch the pipeline's events.</param>
    /// <param name="clock">The room's clock when it does not run in real time; null for the system clock.</param>
    public static IHost Build<TRoom>(string name, Akka.Configuration.Config config, ListeningSettings listening, AudioSettings audio,
        TRoom room, Uri ttsServerUrl, Props observer, TimeProvider? clock = null)
        where TRoom : IAudioOutput, IAudioCapture
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddAkka(name, (akka, _) =>
        {
            akka.AddHocon("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING\nakka.log-dead-letters = off", HoconAddMode.Prepend);
            akka.WithActors((system, registry) =>
            {
                system.ActorOf(observer, "observer");
                var playback = system.ActorOf(Props.Create(() => new PlaybackActor(() => room, audio.PlaybackPiece, clock)), "playback");
                registry.Register<PlaybackActorKey>(playback);
                var recognizer = system.ActorOf(Props.Create(() => new RecognizerActor(listening, (Action<string>?)null)), "recognizer");
                registry.Register<RecognizerActorKey>(recognizer);
            });
            akka.WithTtsActor(config, _ => ttsServerUrl);
            akka.WithConversationActor(config);
            // The microphone last: its first frames find the recognizer ready.
            akka.WithActors((system, registry) =>
            {
                var microphone = system.ActorOf(Props.Create(() => new MicrophoneActor(() => room, true, clock)), "microphone");
                registry.Register<MicrophoneActorKey>(microphone);
            });
        });
        return builder.Build();
    }
}

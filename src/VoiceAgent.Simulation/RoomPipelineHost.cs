using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VoiceAgent.Audio;
using VoiceAgent.Audio.Capture;
using VoiceAgent.Audio.Hosting;
using VoiceAgent.Audio.Output;
using VoiceAgent.Audio.Room;
using VoiceAgent.Composition;
using VoiceAgent.Listening;

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
    /// <param name="engines">Where the VAD and recognizer come from; null: the configured ones.</param>
    /// <param name="extensions">Actors started after the pipeline, as the user's extensions are (a scenario's tools).</param>
    public static IHost Build<TRoom>(string name, Akka.Configuration.Config config, ListeningSettings listening, AudioSettings audio,
        TRoom room, Uri ttsServerUrl, Props observer, TimeProvider? clock = null, IListeningEngines? engines = null,
        Action<AkkaConfigurationBuilder>? extensions = null)
        where TRoom : IAudioOutput, IAudioCapture
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddVoiceAgent(config, voice =>
        {
            voice
                .Named(name)
                .ConfigureActorSystem(akka => akka.AddHocon("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING\nakka.log-dead-letters = off", HoconAddMode.Prepend))
                .Observe(system => system.ActorOf(observer, "observer"))
                .UseAudio(new RoomAudioDevices<TRoom>(room, audio.PlaybackPiece, clock))
                .UseEmbeddedTtsServer(_ => ttsServerUrl)
                .UseListeningEngines(engines ?? new ConfiguredListeningEngines());
            if (extensions is not null) voice.AddActors(extensions);
        });
        return builder.Build();
    }
}

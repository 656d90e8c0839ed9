using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VoiceAgent.Audio;
using VoiceAgent.Audio.Hosting;
using VoiceAgent.Audio.Room;
using VoiceAgent.Composition;
using VoiceAgent.Configuration;
using VoiceAgent.Listening;
using VoiceAgent.Core.Protocol;
using VoiceAgent.Simulation;
using VoiceAgent.Speech;
using VoiceAgent.TestSupport;
using VoiceAgent.TtsServer;

namespace VoiceAgent.Recognition.Tests;

/// <summary>
/// The whole assistant in the virtual room, in real time: the microphone and the speakers are the
/// room (the agent's voice comes back as echo), the recognizer is wired as the app wires it (real
/// Silero VAD, echo canceller, and the recognizer listening.recognizer chooses), the offline
/// responder answers, the TTS actor speaks through the embedded espeak-ng server over a loopback
/// WebSocket. Every pipeline event is recorded on the room's clock.
/// </summary>
internal sealed class VoiceRoom : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly TtsServerHost _server;

    private VoiceRoom(IHost host, TtsServerHost server, VirtualRoom room, Timeline timeline)
    {
        _host = host;
        _server = server;
        Room = room;
        Timeline = timeline;
    }

    public VirtualRoom Room { get; }

    public Timeline Timeline { get; }

    public static async Task<VoiceRoom> StartAsync(RoomAcoustics acoustics, params string[] overrides)
    {
        var config = DefaultConfig.Load(overrides:
        [
            "tts.endpoint=embedded",
            "tts.audio-format=linear16",
            "conversation.provider=offline",
            "listening.mode=speaker",
            $"listening.vad-model={RepoPaths.Model("silero_vad_v5.onnx")}",
            // No downloaded model here: auto would choose what this machine's user has installed.
            $"models.folder={TestWhisperModels.NewFolder("no-models")}",
            .. overrides,
        ]).Config;
        var server = new TtsServerHost(TtsServerConfig.FromConfig(config).ForEmbedded());
        var url = await server.StartAsync();
        var room = new VirtualRoom(acoustics, AudioSettings.FromConfig(config).OutputSampleRate);
        var timeline = new Timeline(() => room.Now);

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddVoiceAgent(config, voice => voice
            .Named("voice-room")
            .ConfigureActorSystem(akka => akka.AddHocon("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING\nakka.log-dead-letters = off", HoconAddMode.Prepend))
            // Subscribed at once, not when the recorder starts: the actors announce themselves at once.
            .Observe(system => system.ActorOf(Props.Create(() => new TimelineRecorder(timeline)), "timeline"))
            .UseAudio(new RoomAudioDevices<VirtualRoom>(room, AudioSettings.FromConfig(config).PlaybackPiece))
            .UseEmbeddedTtsServer(_ => url));
        var host = builder.Build();
        await host.StartAsync();
        return new VoiceRoom(host, server, room, timeline);
    }

    /// <summary>Types a line, as the console does.</summary>
    public void Type(string line) => _host.Services.GetRequiredService<ActorSystem>().EventStream.Publish(TranscriptFinal.Typed(line, DateTimeOffset.UtcNow));

    public IActorRef Recognizer => ActorRegistry.For(_host.Services.GetRequiredService<ActorSystem>()).Get<RecognizerActorKey>();

    /// <summary>Returns once the recognizer has handled every microphone frame sent so far. While
    /// it loads its models at start the frames queue up; on a busy machine it takes a while to
    /// work through them, and speech played before then would be heard late.</summary>
    public Task CaughtUpAsync(TimeSpan timeout) => Recognizer.Ask<ActorIdentity>(new Identify(null), timeout);

    /// <summary>Speaks 16 kHz audio into the room at <paramref name="wanted"/>, or a moment from
    /// now if a busy machine woke the test after that time (speech placed in the past would lose
    /// its beginning); returns when it starts.</summary>
    public TimeSpan Speak(short[] samples, TimeSpan wanted)
    {
        var at = wanted > Room.Now + SpeechLead ? wanted : Room.Now + SpeechLead;
        // On a whole number of 20 ms frames and 32 ms VAD windows: the utterance is cut on window
        // boundaries, and PocketSphinx heard jfk.wav cut at another phase differently ("ask not
        // what your country" as "and not like your kind brain", once, on a busy machine).
        at = TimeSpan.FromTicks((at.Ticks + SpeechPhase.Ticks - 1) / SpeechPhase.Ticks * SpeechPhase.Ticks);
        Room.AddSpeech(samples, CaptureFormat.SampleRate, at);
        return at;
    }

    private static readonly TimeSpan SpeechPhase = TimeSpan.FromMilliseconds(160);

    private static readonly TimeSpan SpeechLead = TimeSpan.FromMilliseconds(300);

    /// <summary>The first recorded event of a type that satisfies <paramref name="match"/>, waiting for it.</summary>
    public async Task<(TimeSpan At, T Event)> WaitFor<T>(Func<T, bool> match, string what, TimeSpan timeout) where T : IPipelineEvent
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            foreach (var entry in Timeline.Entries)
                if (entry.Event is T e && match(e)) return (entry.At, e);
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"no {what} within {timeout.TotalSeconds:0} s; the timeline:\n{Describe()}");
            await Task.Delay(50);
        }
    }

    public IEnumerable<(TimeSpan At, T Event)> All<T>() where T : IPipelineEvent =>
        Timeline.Entries.Where(e => e.Event is T).Select(e => (e.At, (T)e.Event));

    public string Describe() => string.Join('\n', Timeline.Entries
        .Where(e => e.Event is not PlaybackProgress and not AgentText)
        .Select(e => $"{e.At.TotalSeconds,7:0.000} s  {e.Event}"));

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
        await _server.DisposeAsync();
    }
}

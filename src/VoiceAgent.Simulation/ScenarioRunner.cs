using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VoiceAgent.Audio.Hosting;
using VoiceAgent.Audio.Room;
using VoiceAgent.Audio;
using VoiceAgent.Configuration;
using VoiceAgent.Conversation;
using VoiceAgent.Dsp;
using VoiceAgent.Listening;
using VoiceAgent.Core.Protocol;
using VoiceAgent.Speech;
using VoiceAgent.TtsServer;

namespace VoiceAgent.Simulation;

public sealed record ScenarioOptions
{
    /// <summary>Silero model path; null resolves it like the app does.</summary>
    public string? VadModel { get; init; }

    /// <summary>A profile (config/NAME.conf) and a HOCON file layered under the scenario's settings.</summary>
    public string? Profile { get; init; }

    public string? ConfigFile { get; init; }

    /// <summary>Extra -D style overrides, applied after the scenario's own.</summary>
    public IReadOnlyList<string> Overrides { get; init; } = [];

    /// <summary>Writes speaker.wav and microphone.wav of the run here, if set.</summary>
    public string? RecordingFolder { get; init; }
}

/// <summary>
/// Runs a <see cref="Scenario"/> in real time in the virtual room with the real pipeline: the
/// ConversationActor speaks the reply (Say), the TtsActor synthesizes it on the embedded
/// espeak-ng server over a loopback WebSocket, the PlaybackActor plays it into the room, the
/// room feeds it back into the MicrophoneActor with the scripted user sounds, and the
/// RecognizerActor (real Silero VAD, echo canceller, barge-in) reacts. In a conversation the
/// user starts (<see cref="Scenario.IsUserLed"/>), the recognizer configured in the scenario's
/// settings transcribes each utterance and the conversation answers it (<see cref="UserTurns"/>).
/// Every pipeline event is stamped with the room clock; the report is computed from that
/// timeline and the played track.
/// </summary>
public static class ScenarioRunner
{
    private static readonly string[] BaseOverrides =
    [
        "tts.endpoint=embedded",
        "tts.audio-format=linear16",
        "conversation.provider=offline",
        "listening.recognizer=none",
        "listening.mode=speaker",
    ];

    public static async Task<ScenarioReport> RunAsync(Scenario scenario, ScenarioOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ScenarioOptions();
        var sounds = scenario.User.Select(u => (Sound: u, Samples: u.Load(scenario))).ToList();
        var overrides = BaseOverrides
            .Concat(scenario.Settings.Select(kv => $"{kv.Key}={kv.Value}"))
            .Concat(options.VadModel is null ? [] : [$"listening.vad-model={options.VadModel}"])
            .Concat(options.Overrides);
        var config = DefaultConfig.Load(options.Profile, options.ConfigFile, overrides).Config;
        var listening = ListeningSettings.FromConfig(config);
        var audio = AudioSettings.FromConfig(config);

        await using var server = new TtsServerHost(TtsServerConfig.FromConfig(config).ForEmbedded());
        var serverUrl = await server.StartAsync(cancellationToken);

        var room = new VirtualRoom(new RoomAcoustics
        {
            EchoDelay = TimeSpan.FromSeconds(scenario.Room.EchoDelay),
            EchoGain = scenario.Room.EchoGain,
            ReverbSpacing = TimeSpan.FromSeconds(scenario.Room.ReverbSpacing),
            ReverbDecay = scenario.Room.ReverbDecay,
            NoiseDbfs = scenario.Room.NoiseDbfs,
            // The room's "sound card" holds what the configured device would.
            PlaybackBuffer = audio.PlaybackBuffer,
        }, audio.OutputSampleRate);
        var timeline = new Timeline(() => room.Now);
        var userWords = new ScriptedUserWords();
        IListeningEngines listeningEngines = new ConfiguredListeningEngines();
        if (scenario.UsesScriptedRecognizer)
        {
            listeningEngines = new ScriptedListeningEngines(listeningEngines, settings => new ScriptedRecognizer(
                userWords, () => timeline.Entries, () => room.Now,
                new ScriptedRecognizerOptions(TimeSpan.FromSeconds(scenario.RecognitionDelay), TimeSpan.FromSeconds(scenario.Room.EchoDelay),
                    settings.MinSilence - settings.SpeechPadding)));
        }
        var engines = new VadCheckingEngines(listeningEngines);
        var scheduled = new List<UserSoundReport>();
        var turnEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var replyStarted = false;
        UserSoundReport Place(UserSound sound, short[] samples, TimeSpan start)
        {
            room.AddSpeech(samples, CaptureFormat.SampleRate, start);
            var placed = Describe(sound, samples, start);
            if (sound.Transcript is { } words)
                userWords.Add(TimeSpan.FromMilliseconds(placed.OnsetMs), TimeSpan.FromMilliseconds(placed.LastSoundMs), words);
            lock (scheduled) scheduled.Add(placed);
            return placed;
        }
        var userTurns = scenario.IsUserLed ? new UserTurns(scenario, room, sounds, Place) : null;
        timeline.Observed += entry =>
        {
            userTurns?.Observe(entry);
            switch (entry.Event)
            {
                case PlaybackStarted when !replyStarted && userTurns is null:
                    replyStarted = true;
                    foreach (var (sound, samples) in sounds)
                        Place(sound, samples, entry.At + TimeSpan.FromSeconds(sound.At));
                    break;
                case AgentTurnEnded:
                    turnEnded.TrySetResult();
                    break;
            }
        };

        using var host = RoomPipelineHost.Build("simulation", config, listening, audio, room, serverUrl,
            Props.Create(() => new TimelineRecorder(timeline)), engines: engines, extensions: ToolsOf(scenario));
        await host.StartAsync(cancellationToken);
        try
        {
            // Stop in one line if the VAD cannot run: a scenario without it measures nothing.
            if (await engines.VadProblem.WaitAsync(TimeSpan.FromMinutes(1), cancellationToken) is { } problem)
                throw new ScenarioException(problem);
            // Let the microphone run a moment so the recognizer knows the capture clock.
            await Task.Delay(TimeSpan.FromMilliseconds(300), cancellationToken);
            var system = (ActorSystem)host.Services.GetService(typeof(ActorSystem))!;
            var registry = ActorRegistry.For(system);
            var timeout = Task.Delay(TimeSpan.FromSeconds(scenario.Timeout), cancellationToken);
            if (userTurns is not null)
            {
                await userTurns.RunAsync(registry.Get<ConversationActorKey>(), timeout, cancellationToken);
            }
            else
            {
                if (!string.IsNullOrWhiteSpace(scenario.Reply)) registry.Get<ConversationActorKey>().Tell(new Say(scenario.Reply));
                else system.EventStream.Publish(TranscriptFinal.Typed(scenario.Prompt, DateTimeOffset.UtcNow));
                await Task.WhenAny(turnEnded.Task, timeout);
            }
            // Every scripted sound is over, and the tail has passed.
            TimeSpan lastSound;
            lock (scheduled) lastSound = scheduled.Count == 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(scheduled.Max(s => s.EndMs));
            var until = (lastSound > room.Now ? lastSound : room.Now) + TimeSpan.FromSeconds(scenario.Tail);
            while (room.Now < until && !timeout.IsCompleted) await Task.Delay(20, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested(); // stopped early: no report of a run cut short
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
            // Also when the run was stopped early (Ctrl+C, SIGTERM): what was recorded is kept.
            if (options.RecordingFolder is not null) room.Save(options.RecordingFolder);
        }

        List<UserSoundReport> userSounds;
        lock (scheduled) userSounds = scheduled.ToList();
        return TimelineAnalysis.Analyze(scenario, listening.Mode.ToString().ToLowerInvariant(), timeline.Entries, room.Speaker, userSounds);
    }

    /// <summary>The scenario's tools, offered by an actor started after the pipeline; null when it has none.</summary>
    private static Action<AkkaConfigurationBuilder>? ToolsOf(Scenario scenario) =>
        scenario.Tools.Count == 0 ? null : akka => akka.WithActors((system, _) =>
            system.ActorOf(Props.Create(() => new ScenarioToolsActor(scenario.Tools)), "scenario-tools"));

    /// <summary>Where a sound really begins and ends: its first and last 10 ms that are not near-silent.</summary>
    private static UserSoundReport Describe(UserSound sound, short[] samples, TimeSpan start)
    {
        const int block = CaptureFormat.SampleRate / 100;
        int? onset = null;
        var last = samples.Length;
        for (var i = 0; i + block <= samples.Length; i += block)
        {
            if (Pcm16.RmsDbfs(samples.AsSpan(i, block)) <= -35) continue;
            onset ??= i;
            last = i + block;
        }
        double At(int sample) => Math.Round((start + Pcm16.Duration(sample, CaptureFormat.SampleRate)).TotalMilliseconds, 1);
        return new UserSoundReport(sound.Describe(), At(0), At(onset ?? 0), At(samples.Length))
        {
            IsSpeech = sound.IsSpeech,
            Continues = sound.Continues,
            LastSoundMs = At(onset is null ? samples.Length : last),
        };
    }
}

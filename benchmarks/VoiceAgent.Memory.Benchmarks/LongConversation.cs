using System.Diagnostics;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VoiceAgent.Audio;
using VoiceAgent.Audio.Hosting;
using VoiceAgent.Configuration;
using VoiceAgent.Conversation;
using VoiceAgent.Listening;
using VoiceAgent.Core.Protocol;
using VoiceAgent.Speech;
using VoiceAgent.Simulation;
using VoiceAgent.TtsServer;

namespace VoiceAgent.Memory.Benchmarks;

/// <summary>How long a run is and how it is compressed.</summary>
/// <param name="Minutes">Conversation time to run, on the compressed clock.</param>
/// <param name="Speed">How many times faster than real time the room's clock runs.</param>
/// <param name="WarmUpMinutes">Conversation time after which growth is counted.</param>
/// <param name="UserPause">Silence between a reply's end and the user's next line (conversation time).</param>
internal sealed record ConversationPlan(double Minutes, double Speed, double WarmUpMinutes, TimeSpan UserPause, string? VadModel);

/// <summary>The run's figures: memory samples between turns and what the pipeline did.</summary>
internal sealed record ConversationFigures(
    double Speed, double ConversationMinutes, double ReplyMinutes, double UserPauseSeconds, double WallSeconds, double CpuSeconds, int Turns, int TurnsCompleted,
    int PausesForEcho, int FalseBargeIns, double WorstCaptureLagMs, double OfflineWordDelayMs, double WarmUpMinutes,
    IReadOnlyList<MemorySample> Samples);

/// <summary>
/// One long conversation through the pipeline the virtual-room scenarios run (microphone,
/// recognizer with the Silero VAD and echo canceller in speaker mode, conversation with the
/// offline responder, TTS client, embedded TTS server, playback), in one actor system, turn after
/// turn: the user types a line, the agent answers aloud into a <see cref="CompressedRoom"/> that
/// hears its echo, the user pauses, and so on. Memory is read after every turn.
/// </summary>
internal static class LongConversation
{
    // The user's lines, taken in turn: short and long answers of the offline responder.
    private static readonly string[] Lines =
    [
        "Hello there.",
        "What can you do?",
        "Tell me a story.",
        "I would like to plan a trip to the coast next weekend.",
        "What time is it?",
        "Can you remind me to water the plants tomorrow morning?",
    ];

    public static async Task<ConversationFigures> RunAsync(ConversationPlan plan, Action<string> progress)
    {
        var samples = new List<MemorySample> { MemoryProbe.Take("before the pipeline", 0, TimeSpan.Zero) };
        // The offline responder streams a word every 60 ms of real time; compressed with the rest.
        var wordDelay = TimeSpan.FromMilliseconds(Math.Max(1, Math.Round(60 / plan.Speed)));
        var overrides = new List<string>
        {
            "tts.endpoint=embedded",
            "tts.audio-format=linear16",
            "conversation.provider=offline",
            $"conversation.offline-word-delay={wordDelay.TotalMilliseconds:0}ms",
            "listening.recognizer=none",
            "listening.mode=speaker",
        };
        if (plan.VadModel is not null) overrides.Add($"listening.vad-model={plan.VadModel}");
        var config = DefaultConfig.Load(null, null, overrides).Config;
        var listening = ListeningSettings.FromConfig(config);
        var audio = AudioSettings.FromConfig(config);

        await using var server = new TtsServerHost(TtsServerConfig.FromConfig(config).ForEmbedded());
        var serverUrl = await server.StartAsync();
        var clock = new CompressedClock(plan.Speed);
        var room = new CompressedRoom(clock, audio.OutputSampleRate, TimeSpan.FromMilliseconds(50), 0.3);
        var counts = new TurnCounts();

        using var host = RoomPipelineHost.Build("memory", config, listening, audio, room, serverUrl,
            Props.Create(() => new TurnWatcher(counts)), clock);
        var wall = Stopwatch.StartNew();
        var cpuBefore = CpuTime();
        await host.StartAsync();
        var turns = 0;
        var completed = 0;
        try
        {
            var system = (ActorSystem)host.Services.GetService(typeof(ActorSystem))!;
            await WaitUntil(clock, clock.Elapsed + plan.UserPause);
            samples.Add(MemoryProbe.Take("pipeline started", 0, clock.Elapsed));
            room.StartMeasuringCaptureLag();
            var warmedUp = false;
            var nextProgress = 1.0;
            while (clock.Elapsed.TotalMinutes < plan.Minutes)
            {
                system.EventStream.Publish(TranscriptFinal.Typed(Lines[turns % Lines.Length], DateTimeOffset.UtcNow));
                // A reply is at most a minute or so of speech: far longer means the pipeline is stuck.
                var ended = await counts.Ended.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(2) / plan.Speed + TimeSpan.FromSeconds(30));
                turns++;
                if (ended.Outcome == TurnOutcome.Completed) completed++;
                // Memory is read during the user's pause, so that the collection's time (the clock runs
                // on) is silence the user would leave anyway, not a gap added to the conversation.
                var pauseEnds = clock.Elapsed + plan.UserPause;
                var moment = !warmedUp && clock.Elapsed.TotalMinutes >= plan.WarmUpMinutes ? "after warm-up" : "turn";
                warmedUp |= moment == "after warm-up";
                samples.Add(MemoryProbe.Take(moment, turns, clock.Elapsed));
                await WaitUntil(clock, pauseEnds);
                if (clock.Elapsed.TotalMinutes >= nextProgress)
                {
                    var s = samples[^1];
                    progress($"{s.ConversationMinutes:F1} min of conversation ({wall.Elapsed.TotalSeconds:F0} s wall), {turns} turns: managed heap {s.ManagedHeapMb} MB, working set {s.WorkingSetMb} MB, {room.Played.TotalMinutes:F1} min of reply played");
                    nextProgress = Math.Floor(clock.Elapsed.TotalMinutes) + 1;
                }
            }
            samples.Add(MemoryProbe.Take("end", turns, clock.Elapsed));
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
        var cpu = CpuTime() - cpuBefore;
        return new ConversationFigures(
            plan.Speed, Math.Round(clock.Elapsed.TotalMinutes, 2), Math.Round(room.Played.TotalMinutes, 2), plan.UserPause.TotalSeconds, Math.Round(wall.Elapsed.TotalSeconds, 1), Math.Round(cpu.TotalSeconds, 1),
            turns, completed, counts.PausesForEcho, counts.BargeIns, Math.Round(room.WorstCaptureLag.TotalMilliseconds), wordDelay.TotalMilliseconds,
            plan.WarmUpMinutes, samples);
    }

    private static TimeSpan CpuTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private static async Task WaitUntil(CompressedClock clock, TimeSpan at)
    {
        var wait = at - clock.Elapsed;
        if (wait > TimeSpan.Zero) await Task.Delay(clock.WallTime(wait));
    }
}

using System.Text.Json;
using VoiceAgent.Simulation;

namespace VoiceAgent.Listening.Benchmarks;

/// <summary>
/// Minutes of the agent's own voice heard back through each room of <see cref="RoomSweep.Rooms"/>,
/// in real time with the real pipeline: the 30 s reply of scenarios/echo-long.json, run
/// <c>rounds</c> times in every room, all twelve rooms side by side.
/// Each reply starts a new stream of played audio, which is when the canceller has the least
/// to go on, so many replies tell more than one long one. Per room: reply seconds, pauses for
/// the agent's own echo, how many of them were dismissed again, false interruptions, outcomes.
/// </summary>
internal static class EchoSweepBenchmark
{
    // All twelve rooms at once: a reply is a few percent of a core (synthesis, VAD, echo
    // cancelling), and each room is read on its own clock, so this keeps ./bench.sh under ten
    // minutes. The echo room tests run six at a time; the load average is in the report.
    private const int SideBySide = 12;

    public static async Task RunAsync(string root, string modelPath, int rounds, string? jsonPath)
    {
        var scenario = Scenario.Load(Path.Combine(root, "scenarios", "echo-long.json"));
        var options = new ScenarioOptions { VadModel = modelPath };
        var batches = RoomSweep.Rooms.Chunk(SideBySide).ToList();
        var runs = RoomSweep.Rooms.ToDictionary(room => room, _ => new List<ScenarioReport>());
        var batchNumber = 0;
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var batch in batches)
            {
                var reports = await RoomSweep.RunAsync(scenario, batch, options, SideBySide);
                foreach (var (room, report) in batch.Zip(reports)) runs[room].Add(report);
                batchNumber++;
                Console.WriteLine($"batch {batchNumber}/{rounds * batches.Count} (round {round}): {reports.Sum(ReplySecondsOf):F0} s of reply in {batch.Length} rooms, " +
                                  $"{reports.Sum(EchoPausesOf)} echo pauses, {reports.Sum(r => r.FalseInterruptions)} false interruptions");
            }
        }

        var rooms = runs.Select(kv => RoomFigures.From(kv.Key, kv.Value)).ToList();
        Console.WriteLine();
        Console.WriteLine("room | replies | reply s | echo pauses | dismissed | pauses per minute | false interruptions | outcomes");
        foreach (var r in rooms)
            Console.WriteLine($"{r.Room} | {r.Replies} | {r.ReplySeconds:F0} | {r.EchoPauses} | {r.Dismissed} | {r.PausesPerMinute:F2} | {r.FalseInterruptions} | {string.Join(", ", r.Outcomes.Select(o => $"{o.Value} {o.Key}"))}");
        var gains = rooms.GroupBy(r => r.EchoGain).Select(g => new GainFigures(g.Key, Math.Round(g.Sum(r => r.ReplySeconds), 1), g.Sum(r => r.EchoPauses), g.Sum(r => r.FalseInterruptions))).ToList();
        foreach (var g in gains)
            Console.WriteLine($"gain {g.EchoGain:0.0}: {g.ReplySeconds / 60:F1} minutes of reply, {g.EchoPauses} echo pauses, {g.FalseInterruptions} false interruptions");

        if (jsonPath is not null)
        {
            var figures = new { scenario = scenario.Name, rounds, sideBySide = SideBySide, cores = Environment.ProcessorCount, rooms, gains };
            File.WriteAllText(jsonPath, JsonSerializer.Serialize(figures, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
        }
    }

    private static double ReplySecondsOf(ScenarioReport r) => ((r.ReplyEndedMs ?? 0) - (r.ReplyStartedMs ?? 0)) / 1000;

    /// <summary>Pauses while no user sound was under way: the agent paused for its own voice.</summary>
    private static int EchoPausesOf(ScenarioReport r) => r.Pauses.Count(p => p.OnsetMs is null);

    /// <summary>One room's replies added up.</summary>
    private sealed record RoomFigures(
        string Room, double EchoGain, double EchoDelayMs, bool Reverberation, int Replies, double ReplySeconds,
        int EchoPauses, int Dismissed, double PausesPerMinute, int FalseInterruptions,
        IReadOnlyDictionary<string, int> Outcomes, int RepliesWithinBars)
    {
        public static RoomFigures From(RoomSetup room, IReadOnlyList<ScenarioReport> reports)
        {
            var seconds = reports.Sum(ReplySecondsOf);
            var pauses = reports.Sum(EchoPausesOf);
            return new RoomFigures(
                RoomSweep.Describe(room), room.EchoGain, room.EchoDelay * 1000, room.ReverbSpacing > 0, reports.Count,
                Math.Round(seconds, 1), pauses, reports.Sum(r => r.Pauses.Count(p => p.Outcome == "dismissed")),
                seconds > 0 ? Math.Round(pauses / (seconds / 60), 2) : 0, reports.Sum(r => r.FalseInterruptions),
                reports.GroupBy(r => r.ReplyOutcome).ToDictionary(g => g.Key, g => g.Count()),
                reports.Count(r => r.Passed));
        }
    }

    private sealed record GainFigures(double EchoGain, double ReplySeconds, int EchoPauses, int FalseInterruptions);
}

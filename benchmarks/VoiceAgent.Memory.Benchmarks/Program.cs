using System.Text.Json;
using VoiceAgent.Listening.Vad;
using VoiceAgent.Memory.Benchmarks;

// Memory over a long conversation: the virtual-room pipeline (VAD, echo canceller, offline
// responder, TTS client and embedded server, playback) runs turn after turn on a clock that goes
// --speed times faster than real time (5), for --minutes of conversation (10), and the managed
// heap, the GC's committed memory and the working set are read after every turn (after a full
// garbage collection). Faster clocks leave longer gaps in the replies on a loaded machine: the
// report says how much of the conversation was reply actually played. --json FILE also writes the figures.
// Usage: dotnet run -c Release --project benchmarks/VoiceAgent.Memory.Benchmarks [-- --minutes 10 --speed 5 --json FILE]

var minutes = OptionValue("--minutes") is { } m ? double.Parse(m) : 10;
var speed = OptionValue("--speed") is { } s ? double.Parse(s) : 5;
var jsonPath = OptionValue("--json");
var root = FindRoot();
var plan = new ConversationPlan(minutes, speed, WarmUpMinutes: 2, UserPause: TimeSpan.FromSeconds(3),
    VadModel: VadModelFile.Resolve(Path.Combine(root, "models", VadModelFile.FileName)));

Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}");
Console.WriteLine($"{minutes} minutes of conversation at {speed}x real time (warm-up: the first {plan.WarmUpMinutes} minutes)");
var figures = await LongConversation.RunAsync(plan, Console.WriteLine);
var growth = new[]
{
    MemoryGrowth.Of("managed heap", figures.Samples, plan.WarmUpMinutes, x => x.ManagedHeapMb),
    MemoryGrowth.Of("GC committed", figures.Samples, plan.WarmUpMinutes, x => x.GcCommittedMb),
    MemoryGrowth.Of("working set", figures.Samples, plan.WarmUpMinutes, x => x.WorkingSetMb),
};

Console.WriteLine();
Console.WriteLine($"{figures.ConversationMinutes} min of conversation ({figures.ReplyMinutes} min of reply played) in {figures.WallSeconds} s ({figures.CpuSeconds} s of CPU): {figures.Turns} turns, " +
                  $"{figures.TurnsCompleted} completed, {figures.PausesForEcho} pauses for echo, {figures.FalseBargeIns} false barge-ins, " +
                  $"microphone at worst {figures.WorstCaptureLagMs} ms behind its clock");
Console.WriteLine("moment | turns | minutes | managed heap MB | GC committed MB | working set MB");
foreach (var x in figures.Samples.Where(x => x.Moment != "turn"))
    Console.WriteLine($"{x.Moment} | {x.Turns} | {x.ConversationMinutes} | {x.ManagedHeapMb} | {x.GcCommittedMb} | {x.WorkingSetMb}");
foreach (var g in growth)
    Console.WriteLine($"{g.What}: {g.AfterWarmUpMb} MB after warm-up, {g.EndMb} MB at the end, {g.MbPerHour:+0.0;-0.0;0} MB per hour of conversation");

if (jsonPath is not null)
    File.WriteAllText(jsonPath, JsonSerializer.Serialize(new { cores = Environment.ProcessorCount, figures, growth },
        new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));

string? OptionValue(string name)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "VoiceAgent.sln"))) return dir.FullName;
    throw new InvalidOperationException("VoiceAgent.sln not found above " + AppContext.BaseDirectory);
}

using System.Diagnostics;
using System.Text.Json;
using VoiceAgent.Pipeline.Benchmarks;

// What the actors add to a turn: transcript → first text frame at the TTS server, and audio
// frame sent by the server → written to the device. The real actors (ConversationActor with
// the offline responder, TtsActor with the assistant's TTS client, PlaybackActor) against the
// same engines called directly, turn by turn in alternation, each on its own loopback timing
// server and recording output. --json FILE also writes the figures (./bench.sh uses it).
//   dotnet run -c Release --project benchmarks/VoiceAgent.Pipeline.Benchmarks [-- --turns 300] [--json FILE]

var turns = Option("--turns") is { } t ? int.Parse(t) : 300;
var jsonPath = Option("--json");
const int WarmUpTurns = 30;
const string UserText = "hello there";

await using var actorServer = await TimingTtsServer.StartAsync();
await using var bareServer = await TimingTtsServer.StartAsync();
var runs = new[]
{
    new Run(new ActorPipeline(actorServer.Url), actorServer),
    new Run(new BareEngines(bareServer.Url), bareServer),
};
Console.WriteLine($"{Environment.ProcessorCount} cores; {turns} turns per way after {WarmUpTurns} to warm up, in alternation; µs");
for (var turn = 0; turn < WarmUpTurns + turns; turn++)
    foreach (var run in runs)
        await run.TurnAsync(record: turn >= WarmUpTurns, UserText);

var figures = new List<object>();
foreach (var (path, pick) in new (string, Func<Run, List<double>>)[]
{
    ("transcript → first text frame at the TTS server", r => r.TextUs),
    ("audio frame sent by the TTS server → written to the device", r => r.AudioUs),
})
{
    var actors = pick(runs[0]);
    var bare = pick(runs[1]);
    var added = Percentile(actors, 50) - Percentile(bare, 50);
    Console.WriteLine($"{path}: actors p50 {Percentile(actors, 50):0} / p95 {Percentile(actors, 95):0}, bare engines p50 {Percentile(bare, 50):0} / p95 {Percentile(bare, 95):0}, the actors add {added:0} at p50");
    figures.Add(new
    {
        path,
        n = actors.Count,
        actors = new { p50Us = Math.Round(Percentile(actors, 50)), p95Us = Math.Round(Percentile(actors, 95)) },
        bareEngines = new { p50Us = Math.Round(Percentile(bare, 50)), p95Us = Math.Round(Percentile(bare, 95)) },
        addedP50Us = Math.Round(added),
    });
}
foreach (var run in runs) await run.Pipeline.DisposeAsync();
if (jsonPath is not null)
    File.WriteAllText(jsonPath, JsonSerializer.Serialize(new { turns, userText = UserText, paths = figures }, new JsonSerializerOptions { WriteIndented = true }));

string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}

/// <summary>One way of running turns, its server, and what it measured (µs).</summary>
internal sealed record Run(ITurnPipeline Pipeline, TimingTtsServer Server)
{
    public List<double> TextUs { get; } = [];
    public List<double> AudioUs { get; } = [];

    public async Task TurnAsync(bool record, string userText)
    {
        // The socket is opened ahead of the turn in the app (while the user speaks): not measured.
        Pipeline.WarmUp();
        var waited = Stopwatch.StartNew();
        while (Server.IdleSessions == 0 && waited.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(1);
        var transcriptAt = await Pipeline.RunTurnAsync(userText);
        var textAt = await Server.FirstTextReceived.Reader.ReadAsync();
        var sentAt = await Server.AudioSent.Reader.ReadAsync();
        var writtenAt = await Pipeline.Output.Writes.Reader.ReadAsync();
        if (!record) return;
        TextUs.Add(Stopwatch.GetElapsedTime(transcriptAt, textAt).TotalMicroseconds);
        AudioUs.Add(Stopwatch.GetElapsedTime(sentAt, writtenAt).TotalMicroseconds);
    }
}

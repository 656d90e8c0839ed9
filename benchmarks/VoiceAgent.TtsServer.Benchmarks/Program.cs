using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using VoiceAgent.TtsServer;

// Time to first audio for a one-sentence request: the embedded server over a loopback WebSocket
// (socket already open and handshaken, cache disabled) against spawning `espeak-ng --stdout` per
// sentence, at 1, 10, 20 and 50 concurrent sessions. --json FILE also writes the figures as JSON
// (./bench.sh uses it for docs/benchmarks.md).
//   dotnet run -c Release --project benchmarks/VoiceAgent.TtsServer.Benchmarks [rounds] [--json FILE]
// Soak: 100 concurrent sessions x 3 rounds, memory and descriptors of a server process.
//   dotnet run -c Release --project benchmarks/VoiceAgent.TtsServer.Benchmarks soak
// Hostile frames: the memory and CPU one frame can cost (long sentence at speed 0.45, deep
// markdown), and the CPU of an empty frame with 20,000 dots buffered.
//   dotnet run -c Release --project benchmarks/VoiceAgent.TtsServer.Benchmarks hostile
// Barge-in policy force vs reconnect (the assistant's TTS client): barge-in -> next turn's first audio.
//   dotnet run -c Release --project benchmarks/VoiceAgent.TtsServer.Benchmarks policy [--json FILE]

switch (args.FirstOrDefault())
{
    case "serve":
        await ServerProcess.ServeAsync();
        return;
    case "soak":
        await SoakBenchmark.RunAsync();
        return;
    case "hostile":
        await HostileFrameBenchmark.RunAsync();
        return;
    case "policy":
        await BargeInPolicyBenchmark.RunAsync(args is [_, "--json", var policyJson] ? policyJson : null);
        return;
}

var rounds = args.Length > 0 && int.TryParse(args[0], out var r) ? r : 10;
var jsonIndex = Array.IndexOf(args, "--json");
var jsonPath = jsonIndex >= 0 && jsonIndex + 1 < args.Length ? args[jsonIndex + 1] : null;
const string Sentence = "The quick brown fox jumps over the lazy dog.";

await using var server = new TtsServerHost(new TtsServerOptions());
var uri = await server.StartAsync();
var processes = server.Synthesizer is VoiceAgent.TtsServer.Synthesis.Processes.SynthesisProcessPool pool ? pool.Size : 0;
Console.WriteLine($"server: {uri}  synthesis processes: {processes}  rounds: {rounds}  sentence: \"{Sentence}\"");
Console.WriteLine();
Console.WriteLine($"{"case",-44} {"n",5} {"p50 ms",8} {"p95 ms",8} {"server p50",11}");

// Warm up the engine, JIT and sockets.
await ServerRound(uri, "audio_format=mp3", 2, 2);
await SpawnRound(2, 2);

var figures = new List<object>();
foreach (var concurrency in new[] { 1, 10, 20, 50 })
{
    // About the same number of requests at every concurrency (more at 1, where they are cheap).
    var times = concurrency == 1 ? rounds * 4 : Math.Max(3, rounds * 10 / concurrency);
    Print("mp3", concurrency, $"server mp3 24 kHz, {concurrency} session(s)", await ServerRound(uri, "audio_format=mp3&sample_rate=24000", concurrency, times));
    Print("linear16", concurrency, $"server linear16 24 kHz, {concurrency} session(s)", await ServerRound(uri, "audio_format=linear16&sample_rate=24000", concurrency, times));
    Print("espeak-ng", concurrency, $"spawn espeak-ng --stdout, {concurrency} at once", await SpawnRound(concurrency, times));
}
if (jsonPath is not null)
    File.WriteAllText(jsonPath, JsonSerializer.Serialize(new { sentence = Sentence, synthesisProcesses = processes, cores = Environment.ProcessorCount, cases = figures }, new JsonSerializerOptions { WriteIndented = true }));

void Print(string what, int concurrency, string name, (List<double> Client, List<double> Server) result)
{
    var server = result.Server.Count > 0 ? $"{Percentile(result.Server, 50),11:F1}" : $"{"-",11}";
    Console.WriteLine($"{name,-44} {result.Client.Count,5} {Percentile(result.Client, 50),8:F1} {Percentile(result.Client, 95),8:F1} {server}");
    figures.Add(new
    {
        what,
        concurrency,
        n = result.Client.Count,
        p50Ms = Math.Round(Percentile(result.Client, 50), 1),
        p95Ms = Math.Round(Percentile(result.Client, 95), 1),
        serverP50Ms = result.Server.Count > 0 ? Math.Round(Percentile(result.Server, 50), 1) : (double?)null,
    });
}

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    var index = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
    return sorted[Math.Clamp(index, 0, sorted.Count - 1)];
}

// Each of `concurrency` open sessions sends the sentence at the same moment, `rounds` times.
static async Task<(List<double>, List<double>)> ServerRound(Uri uri, string query, int concurrency, int rounds)
{
    var clients = new List<ClientWebSocket>();
    for (var i = 0; i < concurrency; i++)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new UriBuilder(uri) { Query = "voice=espeak.en-us&disable_cache=true&" + query }.Uri, CancellationToken.None);
        await Send(socket, """{"text":" "}""");
        clients.Add(socket);
    }
    var client = new List<double>();
    var server = new List<double>();
    for (var round = 0; round < rounds; round++)
    {
        var results = await Task.WhenAll(clients.Select(async socket =>
        {
            var started = Stopwatch.GetTimestamp();
            await Send(socket, """{"text":"The quick brown fox jumps over the lazy dog."}""");
            double? first = null;
            long? serverMs = null;
            while (true)
            {
                using var frame = JsonDocument.Parse(await Receive(socket));
                var root = frame.RootElement;
                if (first is null && root.TryGetProperty("audio", out var a) && a.ValueKind == JsonValueKind.String)
                {
                    first = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    if (root.TryGetProperty("timeToFirstAudioFrameMs", out var t)) serverMs = t.GetInt64();
                }
                if (root.TryGetProperty("isFinal", out var f) && f.GetBoolean()) break;
            }
            return (first!.Value, serverMs);
        }));
        foreach (var (c, s) in results)
        {
            client.Add(c);
            if (s is { } ms) server.Add(ms);
        }
    }
    foreach (var socket in clients)
    {
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
        socket.Dispose();
    }
    return (client, server);
}

// `concurrency` espeak-ng processes started at the same moment; time to their first stdout byte.
static async Task<(List<double>, List<double>)> SpawnRound(int concurrency, int rounds)
{
    var times = new List<double>();
    for (var round = 0; round < rounds; round++)
    {
        var results = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            var started = Stopwatch.GetTimestamp();
            var start = new ProcessStartInfo("espeak-ng", ["-v", "en-us", "--stdout", Sentence]) { RedirectStandardOutput = true };
            using var process = Process.Start(start)!;
            var buffer = new byte[1];
            await process.StandardOutput.BaseStream.ReadExactlyAsync(buffer);
            var first = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            await process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
            await process.WaitForExitAsync();
            return first;
        })));
        times.AddRange(results);
    }
    return (times, []);
}

static Task Send(ClientWebSocket socket, string json) =>
    socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

static async Task<byte[]> Receive(ClientWebSocket socket)
{
    var buffer = new byte[1 << 16];
    using var message = new MemoryStream();
    while (true)
    {
        var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
        if (result.MessageType == WebSocketMessageType.Close) throw new InvalidOperationException("server closed the socket");
        message.Write(buffer, 0, result.Count);
        if (result.EndOfMessage) return message.ToArray();
    }
}

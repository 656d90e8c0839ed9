using System.Diagnostics;
using System.Net.WebSockets;

/// <summary>
/// 100 concurrent sessions, three rounds, against a server in its own process: resident memory
/// and open descriptors before and after each round, so a leak shows as growth from round to round.
/// </summary>
internal static class SoakBenchmark
{
    public static async Task RunAsync(int sessions = 100, int rounds = 3)
    {
        await using var server = await ServerProcess.StartAsync();
        Console.WriteLine($"soak: {sessions} concurrent sessions x {rounds} rounds, server in its own process");
        Console.WriteLine($"{"",-12} {"RSS MB",8} {"peak MB",8} {"fds",6} {"ok",5} {"s",6}");
        Console.WriteLine($"{"before",-12} {server.RssMb,8:F1} {server.PeakMb,8:F1} {server.Descriptors,6}");
        for (var round = 1; round <= rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            var results = await Task.WhenAll(Enumerable.Range(0, sessions).Select(i => BenchmarkSession.RunAsync(server.Uri,
                i % 3 == 0 ? "voice=espeak.en-us&audio_format=mp3" : "voice=espeak.en-us&audio_format=linear16",
                ["""{"text":" "}""", $$"""{"text":"Round {{round}}, session {{i}} says hello. "}""", """{"text":"And then it says goodbye."}""", """{"text":""}"""])));
            var ok = results.Count(r => r.Close == WebSocketCloseStatus.NormalClosure && r.Errors == 0 && r.AudioBytes > 0);
            await server.SettleAsync();
            Console.WriteLine($"{"round " + round,-12} {server.RssMb,8:F1} {server.PeakMb,8:F1} {server.Descriptors,6} {ok,5} {clock.Elapsed.TotalSeconds,6:F1}");
        }
    }
}

using System.Diagnostics;
using System.Text;

/// <summary>
/// What one hostile frame can cost the server: each case runs against a fresh server process, and
/// the cost is its peak resident memory above the baseline, with the CPU it used. Also the CPU one
/// empty frame costs when 20,000 dots wait in the buffer.
/// </summary>
internal static class HostileFrameBenchmark
{
    public static async Task RunAsync()
    {
        var longSentence = LongSentence(19_803);
        var cases = new (string Name, string Query, string[] Frames)[]
        {
            ("19,803-char sentence, speed 0.45, linear16 96 kHz", "audio_format=linear16&sample_rate=96000", Slow(longSentence)),
            ("19,803-char sentence, speed 0.45, wav 96 kHz", "audio_format=wav&sample_rate=96000", Slow(longSentence)),
            ("19,803-char sentence, speed 0.45, mp3 48 kHz", "audio_format=mp3&sample_rate=48000", Slow(longSentence)),
            ("'> ' x 9,000 (markdown nesting)", "audio_format=linear16", Normal(string.Concat(Enumerable.Repeat("> ", 9_000)) + "end of the quote.")),
            ("'*a' x 9,000 (markdown emphasis)", "audio_format=linear16", Normal(string.Concat(Enumerable.Repeat("*a", 9_000)) + " end of the text.")),
            ("'[' x 19,000 (markdown links)", "audio_format=linear16", Normal(new string('[', 19_000) + " end of the text.")),
        };
        Console.WriteLine("hostile frames: one frame each, a fresh server process per case");
        Console.WriteLine($"{"case",-52} {"peak-base MB",13} {"CPU s",7} {"wall s",7} {"audio MB",9} {"errors",6}");
        double worst = 0;
        foreach (var (name, query, frames) in cases)
        {
            await using var server = await ServerProcess.StartAsync();
            var baseline = server.RssMb;
            var cpu = server.CpuSeconds;
            var clock = Stopwatch.StartNew();
            var result = await BenchmarkSession.RunAsync(server.Uri, "voice=espeak.en-us&disable_cache=true&" + query, frames);
            var cost = server.PeakMb - baseline;
            worst = Math.Max(worst, cost);
            Console.WriteLine($"{name,-52} {cost,13:F1} {server.CpuSeconds - cpu,7:F1} {clock.Elapsed.TotalSeconds,7:F1} {result.AudioBytes / 1e6,9:F1} {result.Errors,6}");
        }
        Console.WriteLine($"worst single-frame memory cost: {worst:F1} MB above the baseline");
        Console.WriteLine();
        await EmptyFramesOnDotsAsync();
    }

    /// <summary>"." x 19,999 + "x" buffered, then empty frames: the CPU each one costs.</summary>
    private static async Task EmptyFramesOnDotsAsync(int frames = 1000)
    {
        await using var server = await ServerProcess.StartAsync();
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        await socket.ConnectAsync(new UriBuilder(server.Uri) { Query = "voice=espeak.en-us&audio_format=linear16" }.Uri, CancellationToken.None);
        async Task Send(string json) => await socket.SendAsync(Encoding.UTF8.GetBytes(json), System.Net.WebSockets.WebSocketMessageType.Text, true, CancellationToken.None);
        await Send("""{"text":" "}""");
        await Send("{\"text\":\"" + new string('.', 19_999) + "x\"}");
        await server.SettleAsync();
        var cpu = server.CpuSeconds;
        for (var i = 0; i < frames; i++) await Send("{}");
        await server.SettleAsync();
        var perFrame = (server.CpuSeconds - cpu) / frames * 1000;
        Console.WriteLine($"empty frames with \".\" x 19,999 + \"x\" buffered: {frames} frames, {perFrame:F3} ms CPU per frame (server process, 10 ms clock ticks)");
    }

    private static string[] Slow(string text) => ["""{"text":" ","voice_settings":{"voice_speed":0.45}}""", Frame(text), """{"text":""}"""];

    private static string[] Normal(string text) => ["""{"text":" "}""", Frame(text), """{"text":""}"""];

    private static string Frame(string text) => System.Text.Json.JsonSerializer.Serialize(new { text });

    private static string LongSentence(int characters)
    {
        var words = "the quick brown fox jumps over the lazy dog and then it runs away".Split(' ');
        var text = new StringBuilder();
        for (var i = 0; text.Length < characters - 1; i++) text.Append(words[i % words.Length]).Append(' ');
        return text.ToString()[..(characters - 1)].TrimEnd().PadRight(characters - 1, 'x') + ".";
    }
}

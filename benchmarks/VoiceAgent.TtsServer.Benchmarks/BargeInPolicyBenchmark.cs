using System.Diagnostics;
using System.Text.Json;
using VoiceAgent.Core.Protocol;
using VoiceAgent.Speech;
using VoiceAgent.Speech.Telnyx;
using VoiceAgent.TtsServer;

/// <summary>
/// Barge-in policy <c>force</c> against <c>reconnect</c>, with the assistant's TTS client
/// (pre-warmed, linear16) and the embedded server: a turn streams a long reply, the user barges in
/// once its first audio has arrived, and the next turn asks for a short answer at once. Measured:
/// from the barge-in to the next turn's first audio. Force sends {"force":true} and then closes the
/// stream, as the TtsActor does; reconnect only closes it (the server learns of it from the socket).
/// </summary>
internal static class BargeInPolicyBenchmark
{
    private const int Trials = 20;
    private const string Story = "Once upon a time, a small robot lived in a lighthouse by the sea. Every night it polished the great lamp until it shone. " +
                                 "One stormy evening a ship lost its way in the fog, and the robot had to decide what to do. It climbed the stairs, one by one, as the waves grew louder. ";

    public static async Task RunAsync(string? jsonPath)
    {
        await using var server = new TtsServerHost(new TtsServerOptions());
        var uri = await server.StartAsync();
        var results = new List<object>();
        foreach (var policy in new[] { "force", "reconnect" })
        {
            await using var client = new TelnyxSpeechSynthesizer(TelnyxTtsOptions.ForUrl(uri, new TtsSettings { DisableCache = true }), "bench");
            var times = new List<double>();
            var turn = 0;
            for (var trial = 0; trial < Trials + 2; trial++)
            {
                var interrupted = await client.OpenAsync(new TurnId(++turn), CancellationToken.None);
                await interrupted.SendTextAsync(Story, CancellationToken.None);
                await FirstAudioAsync(interrupted);

                var bargeIn = Stopwatch.GetTimestamp();
                if (policy == "force") await interrupted.InterruptAsync(CancellationToken.None);
                var closing = interrupted.DisposeAsync().AsTask(); // in the background, as the TtsActor does
                await using var next = await client.OpenAsync(new TurnId(++turn), CancellationToken.None);
                await next.SendTextAsync("Sure, what would you like to know?", CancellationToken.None);
                await next.CompleteAsync(CancellationToken.None);
                await FirstAudioAsync(next);
                var elapsed = Stopwatch.GetElapsedTime(bargeIn).TotalMilliseconds;
                if (trial >= 2) times.Add(elapsed); // the first two warm up the JIT and the workers
                await foreach (var _ in next.ReadAsync(CancellationToken.None)) { }
                await closing;
            }
            times.Sort();
            var p50 = times[times.Count / 2];
            var p95 = times[Math.Min(times.Count - 1, (int)Math.Ceiling(0.95 * times.Count) - 1)];
            Console.WriteLine($"barge-in policy {policy,-9}: barge-in -> next turn's first audio p50 {p50:0.0} ms, p95 {p95:0.0} ms, max {times[^1]:0.0} ms ({times.Count} turns)");
            results.Add(new { policy, n = times.Count, p50Ms = Math.Round(p50, 1), p95Ms = Math.Round(p95, 1), maxMs = Math.Round(times[^1], 1) });
        }
        if (jsonPath is not null)
            await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(new { policies = results }, new JsonSerializerOptions { WriteIndented = true }));
    }

    private static async Task FirstAudioAsync(ISpeechStream stream)
    {
        await foreach (var e in stream.ReadAsync(CancellationToken.None))
            if (e is SpeechAudio { Samples.Length: > 0 }) return;
        throw new InvalidOperationException("the turn ended without audio");
    }
}

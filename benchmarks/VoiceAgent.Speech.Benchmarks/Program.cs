using System.Diagnostics;
using System.Text;
using VoiceAgent.Dsp;
using VoiceAgent.Core.Protocol;
using VoiceAgent.Speech.Decoding;
using VoiceAgent.Speech.Telnyx;
using VoiceAgent.Speech.Tests;
using VoiceAgent.Speech;
using VoiceAgent.Telnyx;
using VoiceAgent.TtsServer.Audio;

// Prints: (1) the client's own cost from a frame's arrival (JSON text) to PCM at the playback
// rate, per format; (2) turn-start latency (session requested -> first audio) with and without a
// pre-warmed socket, on loopback and with a simulated 50 ms upgrade delay (a remote server).

Console.WriteLine("VoiceAgent.Speech benchmarks");
Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}");
Console.WriteLine();

FrameOverhead("linear16 24 kHz -> 24 kHz, 8192-byte frames", "linear16", 24_000, 24_000, 8192);
FrameOverhead("linear16 24 kHz -> 48 kHz, 8192-byte frames", "linear16", 24_000, 48_000, 8192);
FrameOverhead("linear16 16 kHz -> 24 kHz, 4096-byte frames", "linear16", 16_000, 24_000, 4096);
FrameOverhead("mp3 24 kHz 48 kbps -> 24 kHz, 2048-byte frames", "mp3", 24_000, 24_000, 2048);
FirstAudio(24_000);
FirstAudio(16_000);
Console.WriteLine();

await using (var server = await FakeTelnyxServer.StartAsync())
{
    await TurnStart(server, TimeSpan.Zero);
    await TurnStart(server, TimeSpan.FromMilliseconds(50));
}

static void FrameOverhead(string label, string format, int serverRate, int outputRate, int frameBytes)
{
    // One second of speech-like audio, encoded as the server would send it.
    var pcm = FakeTelnyxServer.Tone(new string('a', 200), serverRate);
    var audio = format == "mp3" ? FakeTelnyxServer.Mp3(pcm, serverRate, withId3Tag: true) : Pcm16.ToBytes(pcm);
    var frames = new List<byte[]>();
    for (var offset = 0; offset < audio.Length; offset += frameBytes)
    {
        var piece = audio.AsSpan(offset, Math.Min(frameBytes, audio.Length - offset)).ToArray();
        frames.Add(Encoding.UTF8.GetBytes($$"""{"audio":"{{Convert.ToBase64String(piece)}}","text":null,"isFinal":false,"cached":false}"""));
    }

    var times = new List<double>();
    long samples = 0;
    for (var round = 0; round < 60; round++)
    {
        using var decoder = new SpeechAudioDecoder(format, serverRate, outputRate);
        foreach (var json in frames)
        {
            var start = Stopwatch.GetTimestamp();
            var frame = ServerFrame.Parse(json)!;
            var output = decoder.Decode(frame.Audio);
            var elapsed = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            if (round >= 10) { times.Add(elapsed); samples += output.Length; } // first rounds warm the JIT
        }
        decoder.Finish();
    }
    times.Sort();
    // Per second of audio at the median frame cost (the mean is at the mercy of a busy machine).
    var framesPerSecond = times.Count / ((double)samples / outputRate);
    Console.WriteLine($"frame -> PCM  {label,-48} p50 {P(times, 0.5),7:0.0} us  p99 {P(times, 0.99),8:0.0} us  " +
                      $"(~{P(times, 0.5) * framesPerSecond / 1000:0.00} ms per second of audio)");
}

// A segment's MP3 arriving one MP3 frame per socket frame (what a streaming server sends first;
// the ID3 tag and the Info frame come as the first piece): how many pieces go in before the first
// PCM comes out, and what each piece costs to decode. Then the same file in the embedded server's
// 8192-byte pieces: the cost of the first piece, which holds the first audio.
static void FirstAudio(int rate)
{
    var pcm = FakeTelnyxServer.Tone(new string('a', 100), rate);
    var mp3 = FakeTelnyxServer.Mp3(pcm, rate, withId3Tag: true);
    var pieces = new List<byte[]>();
    var offset = 0;
    while (offset < mp3.Length)
    {
        var length = Id3Tag.LengthAt(mp3.AsSpan(offset));
        length += Mp3Frames.FrameLength(mp3, offset + length);
        pieces.Add(mp3[offset..(offset + length)]);
        offset += length;
    }
    var firstTimes = new List<double>();
    var frameTimes = new List<double>();
    var wholeTimes = new List<double>();
    var firstIndex = -1;
    for (var round = 0; round < 60; round++)
    {
        using var decoder = new SpeechAudioDecoder("mp3", rate, rate);
        var seenFirst = false;
        for (var i = 0; i < pieces.Count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var output = decoder.Decode(pieces[i]);
            var elapsed = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            if (round < 10 || output.Length == 0) continue;
            if (!seenFirst) { firstTimes.Add(elapsed); firstIndex = i; seenFirst = true; }
            else frameTimes.Add(elapsed);
        }
        decoder.Finish();
        using var whole = new SpeechAudioDecoder("mp3", rate, rate);
        var begin = Stopwatch.GetTimestamp();
        whole.Decode(mp3.AsSpan(0, Math.Min(8192, mp3.Length)));
        if (round >= 10) wholeTimes.Add(Stopwatch.GetElapsedTime(begin).TotalMicroseconds);
    }
    firstTimes.Sort();
    frameTimes.Sort();
    wholeTimes.Sort();
    Console.WriteLine($"first audio   mp3 {rate / 1000} kHz, one MP3 frame per socket frame: first PCM after piece {firstIndex + 1} of {pieces.Count}, " +
                      $"that piece p50 {P(firstTimes, 0.5):0.0} us; later frames p50 {P(frameTimes, 0.5):0.0} us p99 {P(frameTimes, 0.99):0.0} us; " +
                      $"a first 8192-byte piece p50 {P(wholeTimes, 0.5):0.0} us");
}

static async Task TurnStart(FakeTelnyxServer server, TimeSpan upgradeDelay)
{
    server.UpgradeDelay = upgradeDelay;
    foreach (var prewarm in new[] { false, true })
    {
        await using var client = new TelnyxSpeechSynthesizer(TelnyxTtsOptions.ForUrl(server.Url, new TtsSettings
        {
            Prewarm = prewarm,
        }) with { ApiKey = FakeTelnyxServer.Key }, "bench");
        var times = new List<double>();
        for (var turn = 1; turn <= 40; turn++)
        {
            if (prewarm)
            {
                client.WarmUp(); // what the previous turn (or the user starting to talk) already did
                while (!client.HasWarmConnection) await Task.Delay(1);
            }
            var start = Stopwatch.GetTimestamp();
            await using var stream = await client.OpenAsync(new TurnId(turn), CancellationToken.None);
            await stream.SendTextAsync("Hello there.", CancellationToken.None);
            await stream.CompleteAsync(CancellationToken.None);
            double? first = null;
            await foreach (var e in stream.ReadAsync(CancellationToken.None))
                if (first is null && e is SpeechAudio { Samples.Length: > 0 }) first = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (turn > 5) times.Add(first!.Value);
        }
        times.Sort();
        Console.WriteLine($"turn start -> first audio  upgrade delay {upgradeDelay.TotalMilliseconds,3:0} ms  " +
                          $"{(prewarm ? "pre-warmed" : "cold      ")}  p50 {P(times, 0.5),6:0.00} ms  p90 {P(times, 0.9),6:0.00} ms");
    }
}

static double P(List<double> sorted, double q) => sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];

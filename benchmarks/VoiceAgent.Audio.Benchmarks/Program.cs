using System.Diagnostics;
using VoiceAgent.Audio.Playback;
using VoiceAgent.Audio.Pulse;
using VoiceAgent.Audio;
using VoiceAgent.Dsp;
using VoiceAgent.Core.Protocol;

// Audio device latencies on a PulseAudio server with the test devices of .ci/pulse-start.sh
// (null sink "vsink", pipe source "vmic" fed through $PULSE_MIC_FIFO):
//   capture-to-frame: a click written into the pipe source → the 20 ms frame holding it is read;
//   stop-to-silence:  AudioPlayer.Stop during a tone → the tone ends on the sink (from its monitor).
// Usage: eval "$(.ci/pulse-start.sh)"; dotnet run -c Release --project benchmarks/VoiceAgent.Audio.Benchmarks [trials]
//
// With the argument "resample" instead: the project's resampler against NAudio's WDL resampler
// (no server needed): dotnet run -c Release --project benchmarks/VoiceAgent.Audio.Benchmarks resample

const int Rate = 16_000;
if (args is ["resample"])
{
    VoiceAgent.Audio.Benchmarks.ResamplerComparison.Run();
    return 0;
}
var trials = args.Length > 0 && int.TryParse(args[0], out var t) ? t : 20;
var fifo = Environment.GetEnvironmentVariable("PULSE_MIC_FIFO") ?? "";
try
{
    var devices = await AudioDevices.ListAsync();
    if (!devices.Sinks.Any(s => s.Name == "vsink") || !devices.Sources.Any(s => s.Name == "vmic") || !File.Exists(fifo))
        throw new VoiceAgent.Audio.Capture.AudioDeviceException($"{devices.Server} lacks the test devices (vsink, vmic, PULSE_MIC_FIFO)");
}
catch (VoiceAgent.Audio.Capture.AudioDeviceException e)
{
    Console.Error.WriteLine($"audio benchmarks need the test PulseAudio server: {e.Message}. Start it with: eval \"$(.ci/pulse-start.sh)\"");
    return 1;
}

Console.WriteLine($"PulseAudio at {Environment.GetEnvironmentVariable("PULSE_SERVER") ?? "default"}, {trials} trials each");
Report("capture-to-frame (pipe source → frame read)", await CaptureToFrame(fifo, trials));
foreach (var buffer in new[] { 100, 60 })
{
    Report($"stop-to-silence (Stop → tone ends on the sink), playback-buffer {buffer} ms, piece 20 ms", await StopToSilence(trials, TimeSpan.FromMilliseconds(buffer)));
    Report($"  Stop → PlaybackStopped reported, playback-buffer {buffer} ms", LastStopReports);
}
return 0;

static void Report(string name, List<double> ms)
{
    ms.Sort();
    double P(double q) => ms[(int)Math.Min(ms.Count - 1, Math.Round(q * (ms.Count - 1)))];
    Console.WriteLine($"{name}: p50 {P(0.5):F1} ms, p95 {P(0.95):F1} ms, min {ms[0]:F1} ms, max {ms[^1]:F1} ms (n={ms.Count})");
}

static async Task<List<double>> CaptureToFrame(string fifo, int trials)
{
    var results = new List<double>();
    await using var capture = new PulseAudioCapture("vmic");
    using var cts = new CancellationTokenSource();
    var clock = Stopwatch.StartNew();
    long clickWrittenAt = -1;
    var frames = capture.ReadFramesAsync(cts.Token).GetAsyncEnumerator(cts.Token);
    var reader = Task.Run(async () =>
    {
        while (await frames.MoveNextAsync())
        {
            var written = Interlocked.Read(ref clickWrittenAt);
            if (written >= 0 && frames.Current.Samples.Span.IndexOfAnyExcept((short)0) >= 0)
            {
                results.Add((clock.Elapsed.Ticks - written) / 10_000.0);
                Interlocked.Exchange(ref clickWrittenAt, -1);
                if (results.Count == trials) return;
            }
        }
    });

    await using var pipe = new FileStream(fifo, FileMode.Open, FileAccess.Write);
    var silence = new byte[640];
    var click = new byte[640];
    click[0] = 0x00; click[1] = 0x40;
    var random = new Random(7);
    var next = clock.Elapsed;
    var piecesUntilClick = 10;
    while (!reader.IsCompleted)
    {
        var isClick = --piecesUntilClick == 0 && Interlocked.Read(ref clickWrittenAt) < 0;
        if (isClick)
        {
            Interlocked.Exchange(ref clickWrittenAt, clock.Elapsed.Ticks);
            piecesUntilClick = 10 + random.Next(10);
        }
        else if (piecesUntilClick <= 0) piecesUntilClick = 5;
        await pipe.WriteAsync(isClick ? click : silence);
        await pipe.FlushAsync();
        next += TimeSpan.FromMilliseconds(20);
        var wait = next - clock.Elapsed;
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
    }
    await cts.CancelAsync();
    return results;
}

static async Task<List<double>> StopToSilence(int trials, TimeSpan buffer)
{
    var results = new List<double>();
    LastStopReports.Clear();
    var piece = TimeSpan.FromMilliseconds(20);
    var progress = (Played: TimeSpan.Zero, At: TimeSpan.Zero);
    var clock = Stopwatch.StartNew();
    var stopped = new TaskCompletionSource<(PlaybackStopped Event, TimeSpan At)>();
    using var player = new AudioPlayer(new PulseAudioOutput("vsink", Rate, buffer, piece), e =>
    {
        if (e is PlaybackProgress p) progress = (p.Played, clock.Elapsed);
        if (e is PlaybackStopped s) stopped.TrySetResult((s, clock.Elapsed));
    }, piece);
    var leadIn = TimeSpan.FromMilliseconds(300);
    var tone = new short[Rate * 3];
    for (var i = Pcm16.SamplesFor(leadIn, Rate); i < tone.Length; i++) tone[i] = (short)(0.5 * 32767 * Math.Sin(2 * Math.PI * 440 * i / Rate));
    var random = new Random(11);

    for (var trial = 1; trial <= trials; trial++)
    {
        var turn = new TurnId(trial);
        stopped = new TaskCompletionSource<(PlaybackStopped, TimeSpan)>();
        progress = (TimeSpan.Zero, TimeSpan.Zero);
        var recorder = new PulseAudioCapture("vsink.monitor");
        var recorded = new List<short>();
        using var cts = new CancellationTokenSource();
        var recording = Task.Run(async () =>
        {
            try
            {
                await foreach (var f in recorder.ReadFramesAsync(cts.Token)) recorded.AddRange(f.Samples.ToArray());
            }
            catch (OperationCanceledException)
            {
            }
        });
        player.Enqueue(new AudioChunk(turn, tone, Rate));
        var stopAfter = leadIn + TimeSpan.FromMilliseconds(500 + random.Next(700));
        while (progress.Played < stopAfter) await Task.Delay(1);
        var requestedAt = clock.Elapsed;
        // Heard at the request: the last progress report, advanced by the time since it.
        var heardAtRequest = progress.Played + (requestedAt - progress.At);
        player.Stop(turn);
        var (_, reportedAt) = await stopped.Task;
        LastStopReports.Add((reportedAt - requestedAt).TotalMilliseconds);
        await Task.Delay(400);
        await cts.CancelAsync();
        await recording;
        await recorder.DisposeAsync();
        var first = recorded.FindIndex(s => Math.Abs((int)s) > 1600);
        var last = recorded.FindLastIndex(s => Math.Abs((int)s) > 1600);
        var audible = Pcm16.Duration(last - first + 1, Rate) + leadIn;
        results.Add((audible - heardAtRequest).TotalMilliseconds);
    }
    return results;
}

static partial class Program
{
    public static readonly List<double> LastStopReports = new();
}

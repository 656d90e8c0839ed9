using System.Diagnostics;
using VoiceAgent.Audio;
using VoiceAgent.Dsp;
using VoiceAgent.Listening.Benchmarks;
using VoiceAgent.Listening.Echo;
using VoiceAgent.Listening.Engine;
using VoiceAgent.Listening.Vad;
using VoiceAgent.Listening;
using VoiceAgent.Core.Protocol;
using VoiceAgent.Simulation;

// Listening benchmarks: the cost of the VAD, the echo canceller and the whole engine per 20 ms
// frame, the echo reduction over a reply, and (with --scenarios N) the barge-in latencies of the
// shipped scenarios, run N times.
// Usage: dotnet run -c Release --project benchmarks/VoiceAgent.Listening.Benchmarks [-- --scenarios 3]
//        ... -- --cancellers    the echo cancellers (managed, SpeexDSP, previous NLMS) on the same recordings
//        ... -- --echo-sweep [--rounds N] [--json FILE]
//                               a 30 s reply N times (3) in each of the 12 rooms of the sweep: with 3,
//                               6 minutes of echo at each echo gain

var root = FindRoot();
var modelPath = VadModelFile.Resolve(Path.Combine(root, "models", VadModelFile.FileName));
var jfk = WavFile.Read(Path.Combine(root, "tests", "fixtures", "jfk.wav")).Samples;
var audioSeconds = jfk.Length / (double)CaptureFormat.SampleRate;

Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}");
Console.WriteLine();

if (args.Contains("--cancellers"))
{
    CancellerComparison.Run(AgentVoice(), jfk);
    return;
}

if (args.Contains("--echo-sweep"))
{
    await EchoSweepBenchmark.RunAsync(root, modelPath, OptionValue("--rounds") is { } r ? int.Parse(r) : 3, OptionValue("--json"));
    return;
}

// 1. Model load.
var load = Stopwatch.StartNew();
using (new SileroVadModel(modelPath)) { }
Console.WriteLine($"Silero VAD session (first, includes ONNX Runtime start): {load.Elapsed.TotalMilliseconds:F0} ms");
load.Restart();
using (new SileroVadModel(modelPath)) { }
Console.WriteLine($"Silero VAD session (second):                            {load.Elapsed.TotalMilliseconds:F0} ms");

// 2. Silero per 32 ms window.
using (var model = new SileroVadModel(modelPath))
{
    var windows = new List<float[]>();
    for (var i = 0; i + 512 <= jfk.Length; i += 512) windows.Add(jfk.AsSpan(i, 512).ToArray().Select(s => s / 32768f).ToArray());
    foreach (var w in windows.Take(20)) model.SpeechProbability(w);
    var times = new List<double>();
    for (var round = 0; round < 3; round++)
    {
        model.Reset();
        foreach (var w in windows)
        {
            var t = Stopwatch.GetTimestamp();
            model.SpeechProbability(w);
            times.Add(Stopwatch.GetElapsedTime(t).TotalMicroseconds);
        }
    }
    Report("Silero VAD, one 32 ms window", times, "µs");
}

// 3. Echo cancellers per 20 ms frame: the frequency-domain canceller at its default length and
// longer, and the previous time-domain NLMS for comparison.
foreach (var taps in new[] { 2048, 8000, 16000 })
{
    var reference = jfk.Select(s => s / 32768f).ToArray();
    var echoed = reference.Select((x, i) => i >= 800 ? 0.3f * reference[i - 800] : 0f).ToArray();
    var fdaf = new FrequencyDomainEchoCanceller(taps);
    var nlms = new NlmsEchoCanceller(taps, 0.3f);
    var fdafTimes = new List<double>();
    var nlmsTimes = new List<double>();
    var mic = (float[])echoed.Clone();
    for (var i = 0; i + 320 <= mic.Length; i += 320)
    {
        var t = Stopwatch.GetTimestamp();
        fdaf.Process(reference.AsSpan(i, 320), mic.AsSpan(i, 320));
        fdafTimes.Add(Stopwatch.GetElapsedTime(t).TotalMicroseconds);
    }
    mic = (float[])echoed.Clone();
    for (var i = 0; i + 320 <= mic.Length; i += 320)
    {
        var t = Stopwatch.GetTimestamp();
        nlms.Process(reference.AsSpan(i, 320), mic.AsSpan(i, 320), adapt: true);
        nlmsTimes.Add(Stopwatch.GetElapsedTime(t).TotalMicroseconds);
    }
    Report($"frequency-domain echo canceller, {taps / 16} ms, one 20 ms frame", fdafTimes, "µs");
    Report($"NLMS echo canceller (previous), {taps / 16} ms, one 20 ms frame", nlmsTimes, "µs");
}

// 4. The whole engine per 20 ms frame, headset and speaker mode (with an echo to cancel).
foreach (var mode in new[] { MicrophoneMode.Headset, MicrophoneMode.Speaker })
{
    using var engine = new ListeningEngine(new ListeningSettings { Mode = mode }, new SileroVadModel(modelPath));
    engine.AddReference(jfk, TimeSpan.Zero);
    engine.AgentSpeaking(new TurnId(1));
    var mic = jfk.Select((x, i) => i >= 800 ? (short)(0.3 * jfk[i - 800]) : (short)0).ToArray();
    var times = new List<double>();
    var total = Stopwatch.StartNew();
    for (var i = 0; i + 320 <= mic.Length; i += 320)
    {
        var t = Stopwatch.GetTimestamp();
        engine.Process(mic.AsSpan(i, 320), Pcm16.Duration(i, CaptureFormat.SampleRate));
        times.Add(Stopwatch.GetElapsedTime(t).TotalMicroseconds);
    }
    Report($"listening engine ({mode}), one 20 ms frame", times, "µs");
    Console.WriteLine($"  real-time factor: {total.Elapsed.TotalSeconds / audioSeconds:F3} (CPU time per second of audio)");
}

// 5. Echo reduction over a reply: jfk.wav through a 50 ms, gain 0.3 echo path, the reference
// sent as the player sends it (20 ms pieces, stamps with a constant error and ±3 samples of
// jitter), placed back to back (the aligner) or each at its own stamp (as before it).
{
    var echoMic = jfk.Select((x, i) => i >= 800 ? (short)(0.3 * jfk[i - 800]) : (short)0).ToArray();
    foreach (var continues in new[] { true, false })
    {
        using var engine = new ListeningEngine(new ListeningSettings { Mode = MicrophoneMode.Speaker }, new SileroVadModel(modelPath));
        var jitter = new Random(11);
        for (var at = 0; at < jfk.Length; at += 320)
            engine.AddReference(jfk.AsSpan(at, Math.Min(320, jfk.Length - at)), TimeSpan.FromSeconds((at + 24 + jitter.Next(-3, 4)) / 16000.0), continues: continues && at > 0);
        var perSecond = new double[2, (int)audioSeconds + 1];
        for (var i = 0; i + 320 <= echoMic.Length; i += 320)
        {
            foreach (var w in engine.Process(echoMic.AsSpan(i, 320), Pcm16.Duration(i, CaptureFormat.SampleRate), includeWindows: true).OfType<WindowScored>())
            {
                var second = (int)w.Start.TotalSeconds;
                perSecond[0, second] += Math.Pow(10, w.MicDbfs / 10);
                perSecond[1, second] += Math.Pow(10, w.ResidualDbfs / 10);
            }
        }
        var curve = Enumerable.Range(0, (int)audioSeconds).Select(k => $"{10 * Math.Log10(perSecond[0, k] / perSecond[1, k]):F0}");
        Console.WriteLine($"echo removed per second of reply, reference {(continues ? "back to back" : "each piece at its stamp")}: {string.Join(" ", curve)} dB");
    }
}

// 6. Scenarios, in real time.
var scenarioRuns = args.Length >= 2 && args[0] == "--scenarios" && int.TryParse(args[1], out var n) ? n : 0;
if (scenarioRuns > 0)
{
    Console.WriteLine();
    foreach (var name in new[] { "interrupt-mid-reply", "interrupt-hard-room", "echo-only", "cough" })
    {
        var detection = new List<double>();
        var silent = new List<double>();
        var confirm = new List<double>();
        int passed = 0, falseInterruptions = 0, pauses = 0;
        for (var run = 0; run < scenarioRuns; run++)
        {
            var report = await ScenarioRunner.RunAsync(Scenario.Load(Path.Combine(root, "scenarios", name + ".json")), new ScenarioOptions { VadModel = modelPath });
            if (report.Passed) passed++;
            falseInterruptions += report.FalseInterruptions;
            pauses += report.Pauses.Count;
            foreach (var p in report.Pauses.Where(p => p.OnsetMs is not null))
            {
                detection.Add(p.DetectedMs - p.OnsetMs!.Value);
                if (p.PlaybackSilentMs is { } s) silent.Add(Math.Max(0, s - p.OrderedMs));
            }
            foreach (var i in report.Interruptions.Where(i => i.OnsetMs is not null)) confirm.Add(i.ConfirmedMs - i.OnsetMs!.Value);
        }
        Console.WriteLine($"scenario {name}: {passed}/{scenarioRuns} passed, {pauses} pauses, {falseInterruptions} false interruptions");
        if (detection.Count > 0) Report("  onset → detection (pause ordered)", detection, "ms");
        if (silent.Count > 0) Report("  detection → playback silent", silent, "ms");
        if (confirm.Count > 0) Report("  onset → barge-in confirmed", confirm, "ms");
    }
}

string? OptionValue(string name)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}

static void Report(string what, List<double> values, string unit)
{
    values.Sort();
    double P(double q) => values[Math.Min(values.Count - 1, (int)(q * values.Count))];
    Console.WriteLine($"{what}: mean {values.Average():F1} {unit}, p50 {P(0.5):F1}, p90 {P(0.9):F1}, p99 {P(0.99):F1}, max {values[^1]:F1} (n={values.Count})");
}

// The agent's voice as the embedded TTS server makes it: espeak-ng, about 70 s of a reply.
static short[] AgentVoice()
{
    const string text = "Sure, here is the weather for the next few days. Tomorrow starts cloudy with a light breeze from the west, " +
        "and by the afternoon the sun should come through. On Wednesday expect showers in the morning and a cooler evening, " +
        "so take an umbrella if you go out. Thursday looks dry and bright, with a high of nineteen degrees and a gentle wind. " +
        "Friday brings clouds back from the coast, and the weekend should be mild, with a chance of rain on Sunday night. " +
        "If you are planning a trip, Saturday is the best day for it, and the mornings will be cool enough for a jacket.";
    var start = new ProcessStartInfo("espeak-ng", ["-v", "en-us", "--stdout", text + " " + text]) { RedirectStandardOutput = true };
    using var process = Process.Start(start)!;
    using var wav = new MemoryStream();
    process.StandardOutput.BaseStream.CopyTo(wav);
    process.WaitForExit();
    var audio = WavFile.Parse(wav.ToArray(), "espeak-ng output");
    return Resampler.Convert(audio.Samples, audio.SampleRate, CaptureFormat.SampleRate);
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "VoiceAgent.sln"))) return dir.FullName;
    throw new InvalidOperationException("VoiceAgent.sln not found above " + AppContext.BaseDirectory);
}

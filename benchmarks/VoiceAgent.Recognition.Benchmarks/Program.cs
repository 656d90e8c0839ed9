using System.Diagnostics;
using VoiceAgent.Dsp;
using VoiceAgent.Listening.Engine;
using VoiceAgent.Listening.Recognition.PocketSphinx;
using VoiceAgent.Listening.Recognition.Whisper;
using VoiceAgent.Listening.Vad;
using VoiceAgent.Listening;
using VoiceAgent.Core.Protocol;
using VoiceAgent.TestSupport;
using Whisper.net;
using static VoiceAgent.Recognition.Benchmarks.Measures;

// Speech recognition benchmarks: PocketSphinx's accuracy (word error rate on jfk.wav) and speed,
// and Whisper's compute cost on a generated model with tiny.en's real dimensions. The generated
// model's weights are random: its words mean nothing, its cost is the real model's (the decoder
// is capped at a realistic number of tokens, since random weights would decode to the limit).
// Usage: dotnet run -c Release --project benchmarks/VoiceAgent.Recognition.Benchmarks [-- --rounds 3]
// With --json FILE instead: the figures ./bench.sh reports (PocketSphinx's real-time factor; Whisper's
// compute per utterance with tiny.en's and base.en's dimensions, 1 and 2 threads), also as JSON.

var jfk = WavFile.Read(RepoPaths.Fixture("jfk.wav")).Samples;
var reference = Words(File.ReadAllText(RepoPaths.Fixture("jfk.txt")));
var audioSeconds = jfk.Length / (double)CaptureFormat.SampleRate;
if (args is ["--json", var jsonPath])
{
    await VoiceAgent.Recognition.Benchmarks.RecognitionCost.RunAsync(jfk, reference, jsonPath);
    return;
}
var rounds = args.Length == 2 && args[0] == "--rounds" ? int.Parse(args[1]) : 3;
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}; jfk.wav {audioSeconds:0.0} s, {reference.Length} reference words");
Console.WriteLine();

// 1. PocketSphinx.
Console.WriteLine("PocketSphinx (Debian's en-us model)");
var load = Stopwatch.StartNew();
using (var sphinx = PocketSphinxRecognizer.Load(new PocketSphinxOptions()))
{
    Console.WriteLine($"  load (first decoder):                 {load.Elapsed.TotalMilliseconds:0} ms");
    for (var round = 0; round < rounds; round++)
    {
        var timer = Stopwatch.StartNew();
        var text = await sphinx.TranscribeAsync(jfk, CancellationToken.None);
        var seconds = timer.Elapsed.TotalSeconds;
        Console.WriteLine($"  whole utterance, round {round + 1}:           {seconds:0.00} s ({seconds / audioSeconds:0.00}× real time), WER {Wer(reference, Words(text)):P1}: \"{text}\"");
    }

    // The same speech cut by the VAD at the default 500 ms of silence: four short utterances.
    using var engine = new ListeningEngine(new ListeningSettings { Mode = MicrophoneMode.Headset }, new SileroVadModel(VadModelFile.Resolve(RepoPaths.Model(VadModelFile.FileName))));
    var heard = new List<string>();
    var cut = Stopwatch.StartNew();
    short[] padded = [.. jfk, .. new short[CaptureFormat.SampleRate]];
    for (var i = 0; i + CaptureFormat.FrameSamples <= padded.Length; i += CaptureFormat.FrameSamples)
        foreach (var utterance in engine.Process(padded.AsSpan(i, CaptureFormat.FrameSamples), Pcm16.Duration(i, CaptureFormat.SampleRate)).OfType<UtteranceReady>())
            heard.Add(await sphinx.TranscribeAsync(utterance.Samples, CancellationToken.None));
    var joined = string.Join(" ", heard);
    Console.WriteLine($"  cut by the VAD (min-silence 500 ms):  {heard.Count} utterances, WER {Wer(reference, Words(joined)):P1}: \"{string.Join(" | ", heard)}\"");
}
Console.WriteLine();

// 2. Whisper on a generated model with tiny.en's dimensions.
Console.WriteLine("Whisper.net (whisper.cpp 1.8.5), generated model with tiny.en's dimensions (384 wide, 6 heads, 4 + 4 layers), random weights");
var folder = Directory.CreateTempSubdirectory("whisper-bench-").FullName;
try
{
    var path = Path.Combine(folder, "ggml-tiny.en-dimensions.bin");
    var generate = Stopwatch.StartNew();
    GeneratedWhisperModel.Write(path, WhisperModelShape.TinyEnDimensions);
    Console.WriteLine($"  generated {new FileInfo(path).Length / 1048576.0:0.0} MB in {generate.Elapsed.TotalSeconds:0.0} s");

    load.Restart();
    using (var recognizer = WhisperRecognizer.Load(path, "tiny.en-dimensions", new WhisperOptions { Threads = 1 }))
        Console.WriteLine($"  load and first processor (WhisperRecognizer.Load): {load.Elapsed.TotalMilliseconds:0} ms");

    using var factory = WhisperFactory.FromPath(path);
    var samples = jfk.Select(Pcm16.ToFloat).ToArray();
    var short3 = samples[(int)(7.9 * 16000)..];
    foreach (var threads in new[] { 1, 2 })
    foreach (var (name, audio) in new[] { ("jfk.wav, 11 s", samples), ("last 3 s of jfk.wav", short3) })
    foreach (var audioContext in new[] { 0, AudioContextFor(audio.Length) })
    {
        // As WhisperRecognizer builds it, plus the token cap (32: the real tiny.en needs ~27 for jfk).
        var builder = factory.CreateBuilder().WithLanguage("en").WithThreads(threads).WithTemperatureInc(0).WithNoContext().WithMaxTokensPerSegment(32);
        if (audioContext > 0) builder = builder.WithAudioContextSize(audioContext);
        await using var processor = builder.Build();
        var times = await TimeAsync(processor, audio, rounds);
        Console.WriteLine($"  {name,-20} {threads} thread{(threads == 1 ? " " : "s")}, encoder window {(audioContext == 0 ? "30 s (default)" : $"{audioContext / 50.0:0.#} s") ,-15} median {times[times.Count / 2],6:0} ms (min {times[0]:0}, max {times[^1]:0})");
    }
}
finally
{
    Directory.Delete(folder, recursive: true);
}

static int AudioContextFor(int samples) => VoiceAgent.Recognition.Benchmarks.Measures.AudioContextFor(samples);

using System.Diagnostics;
using System.Text.Json;
using VoiceAgent.Dsp;
using VoiceAgent.Listening.Recognition.PocketSphinx;
using VoiceAgent.Core.Protocol;
using VoiceAgent.TestSupport;
using Whisper.net;

namespace VoiceAgent.Recognition.Benchmarks;

/// <summary>
/// The recognition figures of ./bench.sh, printed and written as JSON: PocketSphinx's real-time
/// factor and word error rate on jfk.wav, and Whisper's compute time for jfk.wav as one utterance
/// with generated models of tiny.en's and base.en's real dimensions (random weights: compute cost
/// only, their words mean nothing), on 1 and 2 threads, decoding capped as the real models would
/// need (32 tokens).
/// </summary>
internal static class RecognitionCost
{
    private const int Rounds = 2;

    public static async Task RunAsync(short[] jfk, string[] reference, string jsonPath)
    {
        var audioSeconds = jfk.Length / (double)CaptureFormat.SampleRate;
        var sphinx = new List<double>();
        double wer;
        using (var recognizer = PocketSphinxRecognizer.Load(new PocketSphinxOptions()))
        {
            var text = await recognizer.TranscribeAsync(jfk, CancellationToken.None); // warm-up
            wer = Measures.Wer(reference, Measures.Words(text));
            for (var round = 0; round < Rounds; round++)
            {
                var timer = Stopwatch.StartNew();
                await recognizer.TranscribeAsync(jfk, CancellationToken.None);
                sphinx.Add(timer.Elapsed.TotalSeconds / audioSeconds);
            }
        }
        Console.WriteLine($"PocketSphinx on jfk.wav ({audioSeconds:0.0} s): {sphinx.Min():0.00}-{sphinx.Max():0.00}x real time, WER {wer:P1}");

        var whisper = new List<object>();
        var folder = Directory.CreateTempSubdirectory("whisper-bench-").FullName;
        try
        {
            var samples = jfk.Select(Pcm16.ToFloat).ToArray();
            foreach (var (model, shape) in new[] { ("tiny.en", WhisperModelShape.TinyEnDimensions), ("base.en", WhisperModelShape.BaseEnDimensions) })
            {
                var path = Path.Combine(folder, $"ggml-{model}-dimensions.bin");
                GeneratedWhisperModel.Write(path, shape);
                using var factory = WhisperFactory.FromPath(path);
                foreach (var threads in new[] { 1, 2 })
                {
                    var builder = factory.CreateBuilder().WithLanguage("en").WithThreads(threads).WithTemperatureInc(0).WithNoContext()
                        .WithMaxTokensPerSegment(32).WithAudioContextSize(Measures.AudioContextFor(samples.Length));
                    await using var processor = builder.Build();
                    var times = await Measures.TimeAsync(processor, samples, Rounds);
                    Console.WriteLine($"Whisper {model} dimensions, random weights, {threads} thread(s): {times.Min():0}-{times.Max():0} ms per {audioSeconds:0.0} s utterance");
                    whisper.Add(new { model, threads, minMs = Math.Round(times.Min()), maxMs = Math.Round(times.Max()), realTimeFactor = Math.Round(times.Min() / 1000 / audioSeconds, 2) });
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        var result = new
        {
            audioSeconds = Math.Round(audioSeconds, 2),
            pocketSphinx = new { realTimeFactorMin = Math.Round(sphinx.Min(), 2), realTimeFactorMax = Math.Round(sphinx.Max(), 2), wordErrorRate = Math.Round(wer, 3) },
            whisper,
        };
        await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
    }
}

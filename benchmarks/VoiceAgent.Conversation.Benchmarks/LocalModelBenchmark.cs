using System.Diagnostics;
using Microsoft.Extensions.AI;
using VoiceAgent.Conversation.Local;
using VoiceAgent.TestSupport;

/// <summary>
/// Time to first token and tokens per second of the local model path (llama.cpp through
/// LocalChatClient), on a generated GGUF with the real dimensions of the default model,
/// Qwen2.5-0.5B-Instruct (896 wide, 24 blocks, 14/2 heads, feed-forward 4864, 151936 tokens), as
/// llama architecture with Q8_0 weights. The weights are random, so the words are noise; the work
/// per token is the real model's (Q8_0 reads somewhat more memory per weight than Q4_K_M).
/// --tiny uses the test models' dimensions instead; --threads N overrides the default thread count.
/// </summary>
internal static class LocalModelBenchmark
{
    private const int Runs = 5;
    private const int ReplyTokens = 48;

    public static async Task RunAsync(string[] args)
    {
        var tiny = args.Contains("--tiny");
        var shape = tiny ? LlamaModelShape.Tiny : LlamaModelShape.Qwen25HalfBDimensions;
        var folder = Directory.CreateTempSubdirectory("voice-agent-bench-gguf-").FullName;
        try
        {
            var path = Path.Combine(folder, "bench.gguf");
            var clock = Stopwatch.StartNew();
            GeneratedLlamaModel.Write(path, shape);
            Console.WriteLine($"local model benchmark: generated {(tiny ? "tiny" : "Qwen2.5-0.5B-sized")} GGUF with RANDOM weights ({shape.Weights}, " +
                              $"{new FileInfo(path).Length / 1048576.0:0} MB) in {clock.Elapsed.TotalSeconds:0.0} s; the text is noise by design");

            var threadsAt = Array.IndexOf(args, "--threads");
            var settings = new LocalModelSettings { ContextSize = 2048, Threads = threadsAt >= 0 ? int.Parse(args[threadsAt + 1]) : 0 };
            clock.Restart();
            using var client = new LocalChatClient(LocalModel.Load(path, settings), "bench");
            Console.WriteLine($"  load: {clock.Elapsed.TotalMilliseconds:0} ms ({settings.EffectiveThreads} threads, context {settings.ContextSize}, {Environment.ProcessorCount} cores)");
            var warmUp = await new LocalWarmUp(client).WarmUpAsync(CancellationToken.None);
            Console.WriteLine($"  {warmUp.Note}");

            // A first turn as the assistant sends it: the system prompt and one short question.
            ChatMessage[] prompt =
            [
                new(ChatRole.System, "You are a helpful voice assistant. Answer in one to three short spoken sentences. Never use markdown, lists or emoji."),
                new(ChatRole.User, "What is a good way to learn to play the piano as an adult?"),
            ];
            var firsts = new List<double>();
            var rates = new List<double>();
            for (var run = 0; run < Runs; run++)
            {
                var watch = Stopwatch.StartNew();
                double? first = null;
                var pieces = 0;
                await foreach (var update in client.GetStreamingResponseAsync(prompt, new ChatOptions { MaxOutputTokens = ReplyTokens, Temperature = 0.7f }))
                {
                    if (update.Text.Length == 0) continue;
                    first ??= watch.Elapsed.TotalMilliseconds;
                    pieces++;
                }
                var total = watch.Elapsed.TotalMilliseconds;
                firsts.Add(first ?? total);
                if (pieces > 1) rates.Add((pieces - 1) / ((total - first!.Value) / 1000));
            }
            // The generated vocabulary has no real words: the prompt falls back to byte tokens, about
            // four times as many as the real tokenizer makes of it.
            Console.WriteLine($"  time to first token ({client.LastPromptTokens}-token prompt evaluated, byte tokens): p50 {Median(firsts):0} ms (min {firsts.Min():0}, max {firsts.Max():0})");
            Console.WriteLine($"  prompt evaluation: p50 {client.LastPromptTokens / (Median(firsts) / 1000):0} tokens/s");
            Console.WriteLine($"  generation: p50 {Median(rates):0.0} tokens/s (min {rates.Min():0.0}, max {rates.Max():0.0}), {ReplyTokens} tokens per reply, {Runs} replies");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}

using System.Diagnostics;
using System.Globalization;
using LLama;
using LLama.Common;
using LLama.Exceptions;

namespace VoiceAgent.Conversation.Local;

/// <summary>A local model that cannot be used; the message is one line naming the file and the cause.</summary>
public sealed class LocalModelException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// A GGUF model loaded once into this process by llama.cpp (LLamaSharp), with the one context its
/// replies are generated in. Loading checks the file first (it exists, llama.cpp can read it, it
/// fits in free memory) so that every way it can fail is one line for the user.
/// </summary>
public sealed class LocalModel : IDisposable
{
    private LocalModel(string path, LLamaWeights weights, LLamaContext context, TimeSpan loadTime)
    {
        Path = path;
        Weights = weights;
        Context = context;
        LoadTime = loadTime;
    }

    public string Path { get; }
    public string FileName => System.IO.Path.GetFileName(Path);
    public LLamaWeights Weights { get; }
    public LLamaContext Context { get; }
    public TimeSpan LoadTime { get; }
    public long FileBytes => new FileInfo(Path).Length;

    /// <summary>The chat template stored in the GGUF, if any.</summary>
    public string? ChatTemplate => Weights.Metadata.GetValueOrDefault("tokenizer.chat_template");

    /// <summary>The architecture and size as the file says (e.g. "qwen2 494M").</summary>
    public string Description
    {
        get
        {
            var arch = Weights.Metadata.GetValueOrDefault("general.architecture", "?");
            var parameters = Weights.ParameterCount;
            var size = parameters >= 1_000_000_000 ? $"{parameters / 1e9:0.0}B" : $"{parameters / 1e6:0}M";
            return string.Create(CultureInfo.InvariantCulture, $"{arch}, {size} parameters");
        }
    }

    /// <param name="freeMemory">Bytes of memory free now; null when unknown (the check is skipped).</param>
    public static LocalModel Load(string path, LocalModelSettings settings, Func<long?>? freeMemory = null)
    {
        LlamaNativeLog.Install();
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new LocalModelException($"the local model file {full} does not exist; get one with `voice-agent models pull {LocalModelSettings.DefaultModel}` or set voice-agent.conversation.local.model to a GGUF file.");

        var parameters = new ModelParams(full)
        {
            ContextSize = (uint)settings.ContextSize,
            Threads = settings.EffectiveThreads,
            BatchThreads = settings.EffectiveThreads,
            BatchSize = (uint)settings.BatchSize,
            UBatchSize = (uint)settings.BatchSize,
            GpuLayerCount = 0,
        };
        var watch = Stopwatch.StartNew();
        // The vocabulary and metadata alone first: a bad file fails here in milliseconds, and the
        // dimensions tell how much memory the whole model and its context will take.
        using (var header = LoadWeights(full, parameters with { VocabOnly = true }))
        {
            var needed = EstimateBytes(full, header, settings.ContextSize);
            if ((freeMemory ?? FreeMemory.Available)() is { } free && needed > free)
                throw new LocalModelException(string.Create(CultureInfo.InvariantCulture,
                    $"the local model {full} needs about {Mib(needed)} (file {Mib(new FileInfo(full).Length)} + context of {settings.ContextSize} tokens), but only {Mib(free)} of memory is free; choose a smaller model or lower voice-agent.conversation.local.context-size."));
        }
        var weights = LoadWeights(full, parameters);
        try
        {
            var context = weights.CreateContext(parameters);
            return new LocalModel(full, weights, context, watch.Elapsed);
        }
        catch (Exception e) when (e is not LocalModelException)
        {
            weights.Dispose();
            throw new LocalModelException($"the local model {full} loaded, but its context of {settings.ContextSize} tokens could not be made ({e.Message.TrimEnd('.')}); lower voice-agent.conversation.local.context-size.", e);
        }
    }

    /// <summary>One load at a time, so the native log lines after a mark are this load's own.</summary>
    private static readonly Lock LoadGate = new();

    private static LLamaWeights LoadWeights(string path, ModelParams parameters)
    {
        lock (LoadGate)
        {
            var mark = LlamaNativeLog.Mark();
            try
            {
                return LLamaWeights.LoadFromFile(parameters);
            }
            catch (LoadWeightsFailedException e)
            {
                var cause = LlamaNativeLog.CauseSince(mark) ?? "llama.cpp could not read it";
                throw new LocalModelException($"the local model {path} cannot be used: {cause}. Check that it is a complete GGUF language model (voice-agent models pull NAME fetches a verified one).", e);
            }
        }
    }

    /// <summary>Weights (the file) plus the key/value cache for the context, in f16.</summary>
    private static long EstimateBytes(string path, LLamaWeights header, int contextSize)
    {
        var meta = header.Metadata;
        var arch = meta.GetValueOrDefault("general.architecture", "");
        long Number(string key, long fallback) =>
            meta.TryGetValue($"{arch}.{key}", out var text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;
        var width = Number("embedding_length", 0);
        var heads = Math.Max(1, Number("attention.head_count", 1));
        var kvHeads = Number("attention.head_count_kv", heads);
        var blocks = Number("block_count", 0);
        var cache = 2L * contextSize * blocks * (width / heads * kvHeads) * 2;
        return new FileInfo(path).Length + cache;
    }

    internal static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0} MB");

    public void Dispose()
    {
        Context.Dispose();
        Weights.Dispose();
    }
}

/// <summary>Memory the system can give this process now, without swapping.</summary>
public static class FreeMemory
{
    public static long? Available()
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                foreach (var line in File.ReadLines("/proc/meminfo"))
                {
                    if (!line.StartsWith("MemAvailable:", StringComparison.Ordinal)) continue;
                    var kilobytes = line["MemAvailable:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
                }
            }
            catch (IOException)
            {
            }
        }
        var info = GC.GetGCMemoryInfo();
        return info.TotalAvailableMemoryBytes > 0 ? info.TotalAvailableMemoryBytes - info.MemoryLoadBytes : null;
    }
}

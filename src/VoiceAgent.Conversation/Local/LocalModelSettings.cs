using Akka.Configuration;

namespace VoiceAgent.Conversation.Local;

/// <summary>The <c>voice-agent.conversation.local</c> section: the GGUF model run in-process by llama.cpp.</summary>
public sealed record LocalModelSettings
{
    /// <summary>The default: the smallest catalogued model that still answers sensibly.</summary>
    public const string DefaultModel = "qwen2.5-0.5b-instruct";

    /// <summary>A catalogue name (<c>voice-agent models list</c>) or the path of a GGUF file.</summary>
    public string Model { get; init; } = DefaultModel;

    /// <summary>CPU threads for generation; 0 takes half the cores (at least 1, at most 8).</summary>
    public int Threads { get; init; }

    /// <summary>Tokens the model sees at once: system prompt, history and the reply.</summary>
    public int ContextSize { get; init; } = 4096;

    /// <summary>Prompt tokens evaluated per step; a barge-in is noticed between steps.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>run.sh offers to download <see cref="DefaultModel"/> when no local model is installed.</summary>
    public bool OfferDownload { get; init; } = true;

    public int EffectiveThreads => Threads > 0 ? Threads : Math.Clamp(Environment.ProcessorCount / 2, 1, 8);

    public static LocalModelSettings FromConfig(Config? section)
    {
        if (section is null || section.IsEmpty) return new LocalModelSettings();
        return new LocalModelSettings
        {
            Model = section.GetString("model", DefaultModel),
            Threads = section.GetInt("threads", 0),
            ContextSize = section.GetInt("context-size", 4096),
            BatchSize = section.GetInt("batch-size", 256),
            OfferDownload = section.GetBoolean("offer-download", true),
        };
    }
}

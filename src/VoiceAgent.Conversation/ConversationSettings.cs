using Akka.Configuration;
using VoiceAgent.Conversation.Local;
using VoiceAgent.Listening.Models;

namespace VoiceAgent.Conversation;

/// <summary>The <c>voice-agent.conversation</c> section.</summary>
public sealed record ConversationSettings
{
    /// <summary>auto | local | openai-compatible (also openai) | offline.</summary>
    public string Provider { get; init; } = "auto";
    public string BaseUrl { get; init; } = "";
    public string Model { get; init; } = "";
    public string ApiKey { get; init; } = "";
    /// <summary>Name of the environment variable holding the key, read when <see cref="ApiKey"/> is empty
    /// and named in error messages.</summary>
    public string ApiKeyEnv { get; init; } = "";
    public float Temperature { get; init; } = 0.7f;
    public int MaxTokens { get; init; } = 300;
    /// <summary>Time allowed for a reply to start and between streamed pieces.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Retries of a request that failed before its first token (429, 5xx, timeout, network).</summary>
    public int MaxRetries { get; init; } = 2;
    /// <summary>First retry delay; doubles per retry.</summary>
    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromMilliseconds(500);
    /// <summary>Longest wait before a retry, also when the server asks for more (Retry-After).</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(8);
    /// <summary>Time a tool's actor has to answer one call.</summary>
    public TimeSpan ToolTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Typing while the agent speaks interrupts it, as a voice does (<c>barge-in.enabled</c>).</summary>
    public bool TypingInterrupts { get; init; } = true;
    /// <summary>Start the reply while the user pauses, spoken only if the turn ends with those words.</summary>
    public bool PreemptiveReplies { get; init; } = true;
    /// <summary>Model round trips with tool calls allowed in one reply.</summary>
    public int MaxToolRounds { get; init; } = 4;
    /// <summary>Contact the endpoint at start, so the first turn finds a warm connection.</summary>
    public bool WarmUp { get; init; } = true;
    public string SystemPrompt { get; init; } = "";
    public int HistoryBudget { get; init; } = 8000;
    public TimeSpan OfflineWordDelay { get; init; } = TimeSpan.FromMilliseconds(60);
    /// <summary>The offline responder's wait before each answer's first word (a model's time to first token).</summary>
    public TimeSpan OfflineFirstWordDelay { get; init; }
    /// <summary>The in-process model (<c>voice-agent.conversation.local</c>).</summary>
    public LocalModelSettings Local { get; init; } = new();
    /// <summary>Where downloaded models are (<c>voice-agent.models</c>), local language models included.</summary>
    public ModelsOptions Models { get; init; } = new();

    public static ConversationSettings FromConfig(Config root)
    {
        var c = root.GetConfig("voice-agent.conversation");
        return new ConversationSettings
        {
            Provider = c.GetString("provider", "auto").Trim().ToLowerInvariant(),
            BaseUrl = c.GetString("base-url", ""),
            Model = c.GetString("model", ""),
            ApiKey = c.GetString("api-key", ""),
            ApiKeyEnv = c.GetString("api-key-env", ""),
            Temperature = (float)c.GetDouble("temperature", 0.7),
            MaxTokens = c.GetInt("max-tokens", 300),
            Timeout = c.GetTimeSpan("timeout", TimeSpan.FromSeconds(30)),
            MaxRetries = c.GetInt("max-retries", 2),
            RetryBackoff = c.GetTimeSpan("retry-backoff", TimeSpan.FromMilliseconds(500)),
            MaxRetryDelay = c.GetTimeSpan("max-retry-delay", TimeSpan.FromSeconds(8)),
            ToolTimeout = c.GetTimeSpan("tool-timeout", TimeSpan.FromSeconds(10)),
            TypingInterrupts = root.GetBoolean("voice-agent.barge-in.enabled", true),
            PreemptiveReplies = c.GetBoolean("preemptive-replies", true),
            MaxToolRounds = c.GetInt("max-tool-rounds", 4),
            WarmUp = c.GetBoolean("warm-up", true),
            SystemPrompt = c.GetString("system-prompt", ""),
            HistoryBudget = c.GetInt("history-budget", 8000),
            OfflineWordDelay = c.GetTimeSpan("offline-word-delay", TimeSpan.FromMilliseconds(60)),
            OfflineFirstWordDelay = c.GetTimeSpan("offline-first-word-delay", TimeSpan.Zero),
            Local = LocalModelSettings.FromConfig(c.GetConfig("local")),
            Models = ModelsOptions.FromConfig(root.GetConfig("voice-agent.models") ?? Config.Empty),
        };
    }
}

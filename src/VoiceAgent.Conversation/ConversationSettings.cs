using Akka.Configuration;

namespace VoiceAgent.Conversation;

/// <summary>The <c>voice-agent.conversation</c> section.</summary>
public sealed record ConversationSettings
{
    public string Provider { get; init; } = "offline";
    public string BaseUrl { get; init; } = "";
    public string Model { get; init; } = "";
    public string ApiKey { get; init; } = "";
    public float Temperature { get; init; } = 0.7f;
    public int MaxTokens { get; init; } = 300;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
    public string SystemPrompt { get; init; } = "";
    public int HistoryBudget { get; init; } = 8000;
    public TimeSpan OfflineWordDelay { get; init; } = TimeSpan.FromMilliseconds(60);

    public static ConversationSettings FromConfig(Config root)
    {
        var c = root.GetConfig("voice-agent.conversation");
        return new ConversationSettings
        {
            Provider = c.GetString("provider", "offline"),
            BaseUrl = c.GetString("base-url", ""),
            Model = c.GetString("model", ""),
            ApiKey = c.GetString("api-key", ""),
            Temperature = (float)c.GetDouble("temperature", 0.7),
            MaxTokens = c.GetInt("max-tokens", 300),
            Timeout = c.GetTimeSpan("timeout", TimeSpan.FromSeconds(30)),
            SystemPrompt = c.GetString("system-prompt", ""),
            HistoryBudget = c.GetInt("history-budget", 8000),
            OfflineWordDelay = c.GetTimeSpan("offline-word-delay", TimeSpan.FromMilliseconds(60)),
        };
    }
}

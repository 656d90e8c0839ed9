using System.Net;
using VoiceAgent.Configuration;

namespace VoiceAgent.Conversation;

/// <summary>
/// An OpenAI-compatible chat endpoint, resolved and checked from the settings: base URL, model and
/// API key. Local servers (Ollama, llama.cpp, LM Studio on this machine or the LAN) need no key;
/// a cloud URL without one stops the start with a line naming the environment variable to set.
/// </summary>
public sealed record ChatEndpoint(Uri BaseUrl, string Model, string ApiKey, string ApiKeyName)
{
    public const string DefaultBaseUrl = "https://api.openai.com/v1";

    /// <summary>Sent when a local server needs no key: the client library insists on one.</summary>
    public const string NoKey = "no-key";

    private const string Section = "voice-agent.conversation";

    public bool IsLocal => IsLocalHost(BaseUrl);

    /// <summary>Names the endpoint for the user: "model at host".</summary>
    public string Describe() => $"{Model} at {BaseUrl.Authority}";

    public static ChatEndpoint Resolve(ConversationSettings settings, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var url = string.IsNullOrWhiteSpace(settings.BaseUrl) ? DefaultBaseUrl : settings.BaseUrl.Trim();
        if (!Uri.TryCreate(url, UriKind.Absolute, out var baseUrl) || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps))
            throw new InvalidConfigurationException($"{Section}.base-url = \"{url}\" is not an http(s) URL; set it to the endpoint's base, for example {DefaultBaseUrl}.");
        if (string.IsNullOrWhiteSpace(settings.Model))
            throw new InvalidConfigurationException($"{Section}.model is empty; set the model name the endpoint serves (for example gpt-4o-mini or llama3.2).");

        var keyName = KeyVariableFor(baseUrl, settings.ApiKeyEnv);
        var key = settings.ApiKey;
        if (string.IsNullOrEmpty(key) && !string.IsNullOrEmpty(settings.ApiKeyEnv))
            key = environment(settings.ApiKeyEnv) ?? "";
        if (string.IsNullOrEmpty(key))
        {
            if (!IsLocalHost(baseUrl))
                throw new InvalidConfigurationException($"The chat endpoint {baseUrl.Host} needs an API key: set {keyName} in the environment.");
            key = NoKey;
        }
        return new ChatEndpoint(baseUrl, settings.Model.Trim(), key, keyName);
    }

    /// <summary>The variable a user should set: the configured one, or the usual one for well-known hosts.</summary>
    private static string KeyVariableFor(Uri baseUrl, string configured)
    {
        if (!string.IsNullOrEmpty(configured)) return configured;
        var host = baseUrl.Host.ToLowerInvariant();
        if (host.EndsWith("telnyx.com", StringComparison.Ordinal)) return "TELNYX_API_KEY";
        if (host.EndsWith("openai.com", StringComparison.Ordinal)) return "OPENAI_API_KEY";
        return $"the variable named by {Section}.api-key-env (or {Section}.api-key)";
    }

    /// <summary>Loopback, private-network and .local hosts: where self-hosted servers run.</summary>
    private static bool IsLocalHost(Uri url)
    {
        if (url.IsLoopback || url.Host.EndsWith(".local", StringComparison.OrdinalIgnoreCase)) return true;
        if (!IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip)) return false;
        if (ip.IsIPv6LinkLocal || ip.IsIPv6SiteLocal || ip.IsIPv6UniqueLocal) return true;
        var b = ip.GetAddressBytes();
        return b.Length == 4 && (b[0] == 10 || (b[0] == 172 && b[1] >= 16 && b[1] < 32) || (b[0] == 192 && b[1] == 168));
    }
}

using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;
using VoiceAgent.Configuration;
using VoiceAgent.Conversation.Local;
using VoiceAgent.Listening.Models;

namespace VoiceAgent.Conversation;

/// <summary>What answers: the chat client, its name for the user, and a warm-up run at start so
/// the first turn is as quick as the later ones.</summary>
/// <param name="ToolsUnsupported">Why tools are not offered to this model (said once); null when they are.</param>
public sealed record ChatBackend(IChatClient Client, string ResponderName, IChatWarmUp? WarmUp = null, string? ToolsUnsupported = null)
{
    public void Deconstruct(out IChatClient client, out string responderName) => (client, responderName) = (Client, ResponderName);
}

/// <summary>Which kind of responder the settings ask for, after <c>auto</c> is decided.</summary>
public enum ResponderKind
{
    Offline,
    Local,
    OpenAiCompatible,
}

/// <summary>Chooses the chat client from the settings: a local GGUF model run in-process, an
/// OpenAI-compatible endpoint (OpenAI, Telnyx inference, Ollama, llama.cpp server, LM Studio), or
/// the offline responder.</summary>
public static class ChatClientFactory
{
    public const string Providers = "auto, local, openai-compatible or offline";

    /// <summary>One HTTP client for every endpoint. A response dropped after a barge-in closes its
    /// connection at once instead of being read to the end for reuse, so the server sees the
    /// request cancelled and stops generating.</summary>
    private static readonly Lazy<HttpClient> Http = new(() => new HttpClient(new SocketsHttpHandler
    {
        MaxResponseDrainSize = 0,
        ResponseDrainTimeout = TimeSpan.Zero,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
    })
    {
        // The pipeline applies the network timeout itself.
        Timeout = Timeout.InfiniteTimeSpan,
    });

    /// <param name="freeMemory">Free memory in bytes, for the local model's check (null: ask the system).</param>
    public static ChatBackend Create(ConversationSettings settings, Func<long?>? freeMemory = null) =>
        Choose(settings) switch
        {
            ResponderKind.Local => CreateLocal(LocalLocation(settings), settings, freeMemory),
            ResponderKind.OpenAiCompatible => CreateOpenAi(ChatEndpoint.Resolve(settings), settings),
            _ => new ChatBackend(new OfflineResponder(settings.OfflineWordDelay, settings.OfflineFirstWordDelay), OfflineResponder.Name),
        };

    /// <summary>auto: a local GGUF model when one is installed, else the configured endpoint
    /// (a base URL or model name is set), else the offline responder.</summary>
    public static ResponderKind Choose(ConversationSettings settings) =>
        settings.Provider switch
        {
            "offline" => ResponderKind.Offline,
            "local" => ResponderKind.Local,
            "openai-compatible" or "openai" => ResponderKind.OpenAiCompatible,
            "auto" => LocalModelLocation.Installed(settings.Local, ModelStore.For(settings.Models)) is not null ? ResponderKind.Local
                : !string.IsNullOrWhiteSpace(settings.BaseUrl) || !string.IsNullOrWhiteSpace(settings.Model) ? ResponderKind.OpenAiCompatible
                : ResponderKind.Offline,
            _ => throw new InvalidConfigurationException(
                $"voice-agent.conversation.provider = {settings.Provider} is not known; use {Providers}."),
        };

    /// <summary>The model file to load: with <c>auto</c>, whichever is installed; with <c>local</c>, the configured one.</summary>
    public static LocalModelLocation LocalLocation(ConversationSettings settings)
    {
        var store = ModelStore.For(settings.Models);
        return settings.Provider == "auto" && LocalModelLocation.Installed(settings.Local, store) is { } installed
            ? installed
            : LocalModelLocation.Configured(settings.Local, store);
    }

    /// <summary>Loads the model now (once, for the whole run). A file that cannot be used stops
    /// the start with one line (exit code 2), like any other bad setting.</summary>
    public static ChatBackend CreateLocal(LocalModelLocation location, ConversationSettings settings, Func<long?>? freeMemory = null)
    {
        if (!location.Exists)
            throw new InvalidConfigurationException(ChatModelCatalog.Find(location.Name) is not null
                ? $"the local model {location.Name} is not installed: get it with `voice-agent models pull {location.Name}` (or put its GGUF file at {location.Path})."
                : $"the local model file {location.Path} does not exist; check voice-agent.conversation.local.model (a model name from `voice-agent models list` or a GGUF path).");
        LocalModel model;
        try
        {
            model = LocalModel.Load(location.Path, settings.Local, freeMemory);
        }
        catch (LocalModelException e)
        {
            throw new InvalidConfigurationException(e.Message);
        }
        var client = new LocalChatClient(model, location.Name);
        var name = $"local model {location.Name} ({model.Description}; llama.cpp, {settings.Local.EffectiveThreads} threads)";
        return new ChatBackend(client, name, new LocalWarmUp(client), LocalWarmUp.ToolsUnsupported(model));
    }

    public static ChatBackend CreateOpenAi(ChatEndpoint endpoint, ConversationSettings settings)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = endpoint.BaseUrl,
            Transport = new HttpClientPipelineTransport(Http.Value),
            // The conversation retries itself, only before the first token and with a visible
            // notice; the library's own silent retries would double the wait.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            // A backstop: the conversation's own timeout (between pieces) normally fires first.
            NetworkTimeout = settings.Timeout + TimeSpan.FromSeconds(5),
        };
        var openAi = new OpenAIClient(new ApiKeyCredential(endpoint.ApiKey), options);
        var chat = openAi.GetChatClient(endpoint.Model);
        var target = new ChatTarget(endpoint.BaseUrl.Authority, endpoint.Model, endpoint.ApiKeyName);
        return new ChatBackend(chat.AsIChatClient(), endpoint.Describe(), new EndpointWarmUp(openAi, target, settings));
    }
}

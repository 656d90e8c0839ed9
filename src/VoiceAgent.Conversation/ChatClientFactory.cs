using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;
using VoiceAgent.Configuration;

namespace VoiceAgent.Conversation;

/// <summary>What answers: the chat client, its name for the user, and (for a remote endpoint) a
/// warm-up that opens the connection and checks the key before the first turn.</summary>
public sealed record ChatBackend(IChatClient Client, string ResponderName, EndpointWarmUp? WarmUp = null)
{
    public void Deconstruct(out IChatClient client, out string responderName) => (client, responderName) = (Client, ResponderName);
}

/// <summary>Chooses the chat client from the settings: the offline responder, or an
/// OpenAI-compatible endpoint (OpenAI, Telnyx inference, Ollama, llama.cpp server, LM Studio).</summary>
public static class ChatClientFactory
{
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

    public static ChatBackend Create(ConversationSettings settings) =>
        settings.Provider switch
        {
            "offline" => new ChatBackend(new OfflineResponder(settings.OfflineWordDelay), OfflineResponder.Name),
            "openai" => CreateOpenAi(ChatEndpoint.Resolve(settings), settings),
            _ => throw new InvalidConfigurationException(
                $"voice-agent.conversation.provider = {settings.Provider} is not known; use offline or openai."),
        };

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

using System.ClientModel;
using System.Text.Json;

namespace VoiceAgent.Conversation;

/// <summary>A reply that failed, with one line for the user (never a stack trace, never a secret).</summary>
public sealed class ChatReplyException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// What went wrong with a chat request, in one line, and whether trying again can help.
/// Only a failure before the first token is ever retried: after that, words have been spoken.
/// </summary>
public sealed record ChatFailure(string Message, bool Retryable, TimeSpan? RetryAfter = null)
{
    /// <summary>The HTTP status the endpoint answered with, when it answered at all.</summary>
    public int? Status { get; init; }

    /// <param name="error">What the request threw.</param>
    /// <param name="timedOut">Our own timeout fired (nothing arrived within <paramref name="timeout"/>).</param>
    /// <param name="midReply">Part of the reply had already arrived.</param>
    public static ChatFailure Classify(Exception error, bool timedOut, bool midReply, TimeSpan timeout, ChatTarget target)
    {
        if (timedOut || error is TimeoutException || error is OperationCanceledException)
        {
            var seconds = $"{timeout.TotalSeconds:0.#} s";
            return midReply
                ? new($"the reply stopped mid-way: nothing more arrived within {seconds}", false)
                : new($"no answer from the chat endpoint {target.Host} within {seconds}", true);
        }
        if (error is ClientResultException { Status: > 0 } http) return FromStatus(http, target);
        if (midReply)
            return new("the reply stopped mid-way: the connection to the chat endpoint was lost", false);
        if (error is ClientResultException or HttpRequestException or IOException)
            return new($"cannot reach the chat endpoint {target.Host}: {Innermost(error).Message.TrimEnd('.')}", true);
        return new($"the chat request failed: {Innermost(error).Message.TrimEnd('.')}", false);
    }

    private static ChatFailure FromStatus(ClientResultException http, ChatTarget target)
    {
        var status = http.Status;
        var response = http.GetRawResponse();
        ChatFailure failure = status switch
        {
            // The server's text is left out: some echo a masked form of the key.
            401 or 403 => new($"the chat endpoint {target.Host} refused the API key ({status}): check {target.ApiKeyName}", false),
            404 => new($"the model '{target.Model}' was not found at {target.Host} (404): check voice-agent.conversation.model and base-url", false),
            429 => new($"the chat endpoint {target.Host} is rate limiting requests (429)", true, ReadRetryAfter(response)),
            408 => new($"the chat endpoint {target.Host} timed out (408)", true),
            >= 500 => new($"the chat endpoint {target.Host} failed ({status} {response?.ReasonPhrase})".Replace(" )", ")"), true, ReadRetryAfter(response)),
            _ => new($"the chat endpoint {target.Host} rejected the request ({status}){ServerMessage(response)}", false),
        };
        return failure with { Status = status };
    }

    private static TimeSpan? ReadRetryAfter(System.ClientModel.Primitives.PipelineResponse? response)
    {
        if (response is null || !response.Headers.TryGetValue("Retry-After", out var value)) return null;
        if (double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
            return TimeSpan.FromSeconds(Math.Max(0, seconds));
        return DateTimeOffset.TryParse(value, out var at) ? at - DateTimeOffset.UtcNow : null;
    }

    /// <summary>The server's own explanation (OpenAI error shape), shortened to fit a line.</summary>
    private static string ServerMessage(System.ClientModel.Primitives.PipelineResponse? response)
    {
        try
        {
            var body = response?.Content?.ToString();
            if (string.IsNullOrWhiteSpace(body)) return "";
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object &&
                e.TryGetProperty("message", out var m) && m.GetString() is { Length: > 0 } text)
                return ": " + (text.Length > 160 ? text[..160] + "…" : text).ReplaceLineEndings(" ");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON: the status alone says enough.
        }
        return "";
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }
}

/// <summary>What error messages name: the endpoint's host, the model and the key's variable.</summary>
public sealed record ChatTarget(string Host, string Model, string ApiKeyName)
{
    public static ChatTarget From(ConversationSettings settings)
    {
        try
        {
            var endpoint = ChatEndpoint.Resolve(settings with { ApiKey = "checked-elsewhere" });
            return new ChatTarget(endpoint.BaseUrl.Authority, endpoint.Model, endpoint.ApiKeyName);
        }
        catch (Exception)
        {
            return new ChatTarget("(offline)", settings.Model, "the API key");
        }
    }
}

using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace VoiceAgent.Conversation;

/// <summary>
/// The built-in responder used when no language model is configured: deterministic replies
/// chosen from the user's words, streamed word by word like an LLM so that the whole pipeline
/// (speech, barge-in, history) runs offline. The console labels it as offline.
/// </summary>
public sealed class OfflineResponder(TimeSpan wordDelay) : IChatClient
{
    public const string Name = "offline responder";

    private static readonly (string[] Words, string Reply)[] Rules =
    [
        (["hello", "hi", "hey"], "Hello! I am VoiceAgent, running offline with my built-in responder. Ask me for a story if you want to try interrupting me."),
        (["help", "what can you do"], "I listen, think and talk back, and you can interrupt me at any time. Right now I use my offline responder, so my answers are simple. Start me with a profile such as openai or ollama for real answers."),
        (["story", "long"], "Here is a long story, so you can try cutting me off. Once upon a time, a small robot lived in a lighthouse by the sea. Every night it counted the ships that passed, one by one, and wrote their names in a notebook. One stormy evening a ship came in without a name, its lights blinking in a pattern the robot had never seen. The robot climbed to the top of the tower and answered with its own lamp, blink for blink. By morning the sea was calm, and the nameless ship had sailed away. In the notebook, the robot wrote one word: friend."),
        (["time", "date"], "I am the offline responder and I do not read the clock. A language model profile can answer that better."),
        (["bye", "goodbye", "quit"], "Goodbye! Press Control C or type slash quit to leave."),
    ];

    public static string ReplyTo(string userText)
    {
        var words = userText.ToLowerInvariant().Split([' ', ',', '.', '!', '?', ';', ':'], StringSplitOptions.RemoveEmptyEntries);
        foreach (var (keys, reply) in Rules)
        {
            if (keys.Any(k => k.Contains(' ') ? userText.Contains(k, StringComparison.OrdinalIgnoreCase) : words.Contains(k)))
                return reply;
        }
        var quoted = userText.Trim().TrimEnd('.', '!', '?');
        return $"You said: {quoted}. I am the offline responder, so I can only repeat what I hear. Configure a language model to get real answers.";
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, ReplyTo(LastUserText(messages))));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var reply = ReplyTo(LastUserText(messages));
        var words = reply.Split(' ');
        for (var i = 0; i < words.Length; i++)
        {
            if (wordDelay > TimeSpan.Zero) await Task.Delay(wordDelay, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            var update = new ChatResponseUpdate(ChatRole.Assistant, i == 0 ? words[i] : " " + words[i]);
            if (i == words.Length - 1) update.FinishReason = ChatFinishReason.Stop;
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata(Name) :
        serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    private static string LastUserText(IEnumerable<ChatMessage> messages) =>
        messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? "";
}

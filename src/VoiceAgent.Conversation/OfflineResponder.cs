using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace VoiceAgent.Conversation;

/// <summary>
/// The built-in responder used when no language model is configured: deterministic replies
/// chosen from the user's words, streamed word by word like an LLM so that the whole pipeline
/// (speech, barge-in, history) runs offline. The console labels it as offline.
/// </summary>
/// <param name="wordDelay">Between words, as a model streams tokens.</param>
/// <param name="firstWordDelay">Before the first word of each answer, as a model takes to its
/// first token: a pipeline measured with the responder then shows what that wait costs (and
/// what a reply started early saves).</param>
public sealed class OfflineResponder(TimeSpan wordDelay, TimeSpan firstWordDelay = default) : IChatClient
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

    /// <summary>Said before calling a tool the user named.</summary>
    public const string ToolLeadIn = "Let me check that.";

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var history = messages.ToList();
        var tools = options?.Tools?.OfType<AIFunction>().Select(t => t.Name).ToList() ?? [];
        // After a tool's result, the answer is one sentence with it; when the user names an offered
        // tool, a lead-in and then the call (so a tool's whole path runs without a model).
        if (OfflineToolUse.ResultToTell(history) is { } told)
        {
            await foreach (var update in Words(told, ChatFinishReason.Stop, cancellationToken)) yield return update;
            yield break;
        }
        var userText = LastUserText(history);
        if (OfflineToolUse.NamedTool(userText, tools) is { } tool)
        {
            await foreach (var update in Words(ToolLeadIn, null, cancellationToken)) yield return update;
            var call = new FunctionCallContent($"call_{tool}_{history.Count}", tool, new Dictionary<string, object?>());
            yield return new ChatResponseUpdate(ChatRole.Assistant, [call]) { FinishReason = ChatFinishReason.ToolCalls };
            yield break;
        }
        await foreach (var update in Words(ReplyTo(userText), ChatFinishReason.Stop, cancellationToken)) yield return update;
    }

    private async IAsyncEnumerable<ChatResponseUpdate> Words(string text, ChatFinishReason? finish, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var words = text.Split(' ');
        if (firstWordDelay > TimeSpan.Zero) await Task.Delay(firstWordDelay, cancellationToken);
        for (var i = 0; i < words.Length; i++)
        {
            if (wordDelay > TimeSpan.Zero) await Task.Delay(wordDelay, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            var update = new ChatResponseUpdate(ChatRole.Assistant, i == 0 ? words[i] : " " + words[i]);
            if (i == words.Length - 1) update.FinishReason = finish;
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

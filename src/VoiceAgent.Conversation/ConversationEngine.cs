using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace VoiceAgent.Conversation;

/// <summary>
/// One conversation: the chat client, the system prompt and a history that matches what the
/// user actually heard. Plain class, no actors: <see cref="ReplyAsync"/> streams one reply and
/// <see cref="RecordReply"/> stores what of it was heard.
/// </summary>
public sealed class ConversationEngine(IChatClient client, ConversationSettings settings, string responderName)
{
    /// <summary>Marks an assistant message that the user cut off.</summary>
    public const string InterruptedProperty = "interrupted";

    private readonly List<ChatMessage> _history = [];

    public string ResponderName { get; } = responderName;

    public IReadOnlyList<ChatMessage> History => _history;

    /// <summary>Adds the user's words to history and streams the reply, piece by piece.</summary>
    public async IAsyncEnumerable<string> ReplyAsync(string userText, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        _history.Add(new ChatMessage(ChatRole.User, userText));
        TrimHistory();
        var options = new ChatOptions
        {
            Temperature = settings.Temperature,
            MaxOutputTokens = settings.MaxTokens,
            ModelId = string.IsNullOrEmpty(settings.Model) ? null : settings.Model,
        };
        await foreach (var update in client.GetStreamingResponseAsync(Prompt(), options, cancellationToken))
        {
            // Only the answer's text is spoken; reasoning and tool traffic are not.
            var text = string.Concat(update.Contents.OfType<TextContent>().Select(c => c.Text));
            if (text.Length > 0) yield return text;
        }
    }

    /// <summary>Stores the assistant's reply as heard. After an interruption only the heard
    /// words are kept, marked so the model knows it was cut off.</summary>
    public void RecordReply(string heardText, bool interrupted)
    {
        var text = heardText.Trim();
        if (interrupted) text = text.Length == 0 ? "…" : text + " …";
        if (text.Length == 0) return;
        var message = new ChatMessage(ChatRole.Assistant, text);
        if (interrupted)
            message.AdditionalProperties = new AdditionalPropertiesDictionary { [InterruptedProperty] = true };
        _history.Add(message);
        TrimHistory();
    }

    /// <summary>Adds a reply the agent was told to say (not generated).</summary>
    public void RecordSaid(string text) => RecordReply(text, interrupted: false);

    private IEnumerable<ChatMessage> Prompt()
    {
        if (!string.IsNullOrWhiteSpace(settings.SystemPrompt))
            yield return new ChatMessage(ChatRole.System, settings.SystemPrompt);
        foreach (var message in _history) yield return message;
    }

    /// <summary>Drops the oldest messages until history fits the budget, always keeping the newest.</summary>
    private void TrimHistory()
    {
        var total = _history.Sum(m => m.Text.Length);
        while (_history.Count > 1 && total > settings.HistoryBudget)
        {
            total -= _history[0].Text.Length;
            _history.RemoveAt(0);
        }
    }
}

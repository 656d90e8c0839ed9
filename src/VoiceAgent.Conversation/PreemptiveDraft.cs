using System.Text;

namespace VoiceAgent.Conversation;

/// <summary>
/// A reply started while the user paused, before the end of their turn was decided: what it
/// streamed is held unspoken, and its tool calls wait, until the turn ends with the same words
/// (adopted) or the user goes on or says otherwise (discarded).
/// </summary>
internal sealed class PreemptiveDraft(Core.Protocol.TurnId id, string userText, DateTimeOffset startedAt)
{
    public Core.Protocol.TurnId Id { get; } = id;
    public string UserText { get; } = userText;
    public DateTimeOffset StartedAt { get; } = startedAt;
    public StringBuilder Text { get; } = new();
    public DateTimeOffset? FirstTextAt { get; private set; }

    /// <summary>The end of the stream when it came before the draft was adopted.</summary>
    public ReplyEnded? Ended { get; set; }

    /// <summary>Calls the model asked for, to run once adopted.</summary>
    public List<(ToolCallWanted Call, bool FinishIfInterrupted)> HeldCalls { get; } = [];

    public void Hold(string delta, DateTimeOffset at)
    {
        FirstTextAt ??= at;
        Text.Append(delta);
    }

    /// <summary>The final transcript says what the draft was started on (spacing, case and closing
    /// punctuation aside, which recognizers vary between a preliminary and a final pass).</summary>
    public bool Answers(string finalText) => Normalize(finalText) == Normalize(UserText);

    private static string Normalize(string text)
    {
        var words = text.ToLowerInvariant()
            .Split([' ', '\t', '\n', ',', '.', '!', '?', ';', ':', '…'], StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', words);
    }
}

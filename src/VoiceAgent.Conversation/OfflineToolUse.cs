using Microsoft.Extensions.AI;

namespace VoiceAgent.Conversation;

/// <summary>How the offline responder uses tools: it calls one the user names, and then tells its result.</summary>
internal static class OfflineToolUse
{
    /// <summary>The offered tool the user's words name (its name with '_' or '-' read as spaces,
    /// any case); the longest name wins, so "weather forecast" beats "weather".</summary>
    public static string? NamedTool(string userText, IEnumerable<string> tools)
    {
        var said = Spaced(userText);
        return tools.OrderByDescending(t => t.Length)
            .FirstOrDefault(t => $" {said} ".Contains($" {Spaced(t)} ", StringComparison.Ordinal));
    }

    /// <summary>When the conversation ends with a tool's result: one sentence containing it.</summary>
    public static string? ResultToTell(IReadOnlyList<ChatMessage> history)
    {
        if (history.Count == 0 || history[^1].Role != ChatRole.Tool) return null;
        var result = history[^1].Contents.OfType<FunctionResultContent>().LastOrDefault();
        if (result is null) return null;
        var name = history.SelectMany(m => m.Contents).OfType<FunctionCallContent>().LastOrDefault(c => c.CallId == result.CallId)?.Name ?? "tool";
        var text = (result.Result?.ToString() ?? "").Trim().TrimEnd('.');
        return $"The {Spaced(name)} tool says: {text}.";
    }

    private static string Spaced(string text)
    {
        var letters = text.ToLowerInvariant().Select(c => c is '_' or '-' || char.IsPunctuation(c) || char.IsWhiteSpace(c) ? ' ' : c);
        return string.Join(' ', new string(letters.ToArray()).Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}

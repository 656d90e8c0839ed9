using System.Text.Json;
using Microsoft.Extensions.AI;

namespace VoiceAgent.Conversation;

/// <summary>The characters a history message costs against <c>history-budget</c>: its text, and
/// for tool traffic the call's arguments and the result (which have no text of their own).</summary>
internal static class HistoryLength
{
    public static int Of(ChatMessage message) => message.Contents.Sum(content => content switch
    {
        TextContent text => text.Text.Length,
        FunctionCallContent call => call.Name.Length + (call.Arguments?.Sum(a => a.Key.Length + (a.Value?.ToString()?.Length ?? 0)) ?? 0),
        FunctionResultContent result => result.Result?.ToString()?.Length ?? 0,
        _ => 0,
    });
}

/// <summary>A tool call's JSON arguments as the <see cref="FunctionCallContent"/> of history holds them.</summary>
internal static class ToolArguments
{
    public static Dictionary<string, object?> Parse(string argumentsJson)
    {
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(argumentsJson)) return arguments;
        try
        {
            using var document = JsonDocument.Parse(argumentsJson);
            if (document.RootElement.ValueKind != JsonValueKind.Object) return arguments;
            foreach (var property in document.RootElement.EnumerateObject()) arguments[property.Name] = property.Value.Clone();
        }
        catch (JsonException)
        {
            // The model wrote arguments that are not JSON: the call is kept, without them.
        }
        return arguments;
    }
}

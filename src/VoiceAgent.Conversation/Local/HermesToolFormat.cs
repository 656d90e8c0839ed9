using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace VoiceAgent.Conversation.Local;

/// <summary>
/// Tool calling as models with a Hermes-style chat template were trained for it (Qwen2.5 and
/// others whose template writes <c>&lt;tool_call&gt;</c>): the tools' JSON signatures go into the
/// system message between <c>&lt;tools&gt;</c> tags, the model answers a call as
/// <c>&lt;tool_call&gt;{"name": …, "arguments": {…}}&lt;/tool_call&gt;</c>, and a result comes back
/// as a user message between <c>&lt;tool_response&gt;</c> tags. llama.cpp's template engine renders
/// only roles and text, so these parts are written here.
/// </summary>
public static class HermesToolFormat
{
    public const string CallOpen = "<tool_call>";
    public const string CallClose = "</tool_call>";

    /// <summary>True when the model's chat template is one that knows this format.</summary>
    public static bool IsSupportedBy(string? chatTemplate) =>
        chatTemplate is not null && chatTemplate.Contains(CallOpen, StringComparison.Ordinal);

    /// <summary>The system text followed by the tool definitions and how to call them.</summary>
    public static string SystemWithTools(string system, IReadOnlyList<AIFunctionDeclaration> tools)
    {
        var text = new StringBuilder(system);
        if (text.Length > 0) text.Append("\n\n");
        text.Append("# Tools\n\nYou may call one or more functions to assist with the user query.\n\n");
        text.Append("You are provided with function signatures within <tools></tools> XML tags:\n<tools>");
        foreach (var tool in tools)
        {
            var signature = new JsonObject
            {
                ["type"] = "function",
                ["function"] = new JsonObject
                {
                    ["name"] = tool.Name,
                    ["description"] = tool.Description,
                    ["parameters"] = JsonNode.Parse(tool.JsonSchema.GetRawText()),
                },
            };
            text.Append('\n').Append(signature.ToJsonString());
        }
        text.Append("\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n");
        text.Append("<tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call>");
        return text.ToString();
    }

    /// <summary>One message as the model reads it: calls the assistant made are written back in its
    /// own format, tool results become user messages.</summary>
    public static (string Role, string Text) Render(ChatMessage message)
    {
        var text = new StringBuilder(message.Text);
        foreach (var call in message.Contents.OfType<FunctionCallContent>())
        {
            var json = new JsonObject { ["name"] = call.Name, ["arguments"] = JsonSerializer.SerializeToNode(call.Arguments ?? new Dictionary<string, object?>()) };
            text.Append(text.Length > 0 ? "\n" : "").Append(CallOpen).Append('\n').Append(json.ToJsonString()).Append('\n').Append(CallClose);
        }
        foreach (var result in message.Contents.OfType<FunctionResultContent>())
            text.Append(text.Length > 0 ? "\n" : "").Append("<tool_response>\n").Append(result.Result?.ToString()).Append("\n</tool_response>");
        var role = message.Role == ChatRole.Tool ? ChatRole.User.Value : message.Role.Value;
        return (role, text.ToString());
    }

    /// <summary>The call written between the tags; null when it is not a JSON call. Arguments are
    /// JSON elements, as from any endpoint.</summary>
    public static FunctionCallContent? ParseCall(string span)
    {
        try
        {
            using var document = JsonDocument.Parse(span.Trim());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String) return null;
            var arguments = new Dictionary<string, object?>();
            if (root.TryGetProperty("arguments", out var args) && args.ValueKind == JsonValueKind.Object)
                foreach (var argument in args.EnumerateObject()) arguments[argument.Name] = argument.Value.Clone();
            return new FunctionCallContent($"call_{Guid.NewGuid():N}", name.GetString()!, arguments);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

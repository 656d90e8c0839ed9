using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace VoiceAgent.Conversation;

/// <summary>A tool the model may call: name, description and the JSON schema of its arguments.</summary>
public sealed partial record ToolDefinition(string Name, string Description, JsonElement ParametersSchema)
{
    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex ValidName();

    /// <summary>Checks an offer; returns the definition or a one-line reason why it cannot be used.</summary>
    public static (ToolDefinition? Tool, string? Problem) Parse(string name, string description, string parametersSchema)
    {
        if (!ValidName().IsMatch(name ?? ""))
            return (null, $"tool name '{name}' must be 1-64 letters, digits, '_' or '-'");
        if (string.IsNullOrWhiteSpace(description))
            return (null, $"tool '{name}' needs a description: the model chooses tools by it");
        try
        {
            using var schema = JsonDocument.Parse(string.IsNullOrWhiteSpace(parametersSchema) ? """{"type":"object","properties":{}}""" : parametersSchema);
            if (schema.RootElement.ValueKind != JsonValueKind.Object)
                return (null, $"tool '{name}': the parameters schema must be a JSON object");
            return (new ToolDefinition(name!, description.Trim(), schema.RootElement.Clone()), null);
        }
        catch (JsonException e)
        {
            return (null, $"tool '{name}': the parameters schema is not valid JSON ({e.Message})");
        }
    }
}

/// <summary>One call of a tool by the model: arguments as a JSON object.</summary>
public sealed record ToolCall(string CallId, string Name, string ArgumentsJson);

/// <summary>What a tool answered; an error's text tells the model what went wrong.</summary>
public sealed record ToolOutput(string Result, bool IsError = false);

/// <summary>
/// How one reply reaches the outside world while it streams: tool calls are carried out by the
/// caller (the ConversationActor asks the offering actor), and retry notices are shown to the
/// user. Called from the streaming task, not from an actor.
/// </summary>
public interface IReplyHooks
{
    Task<ToolOutput> CallToolAsync(ToolCall call, CancellationToken cancellationToken);

    void Retrying(string notice);
}

/// <summary>An offered tool as Microsoft.Extensions.AI sees it: calling it hands the call to the
/// reply's hooks, so the engine needs no knowledge of actors.</summary>
internal sealed class OfferedToolFunction(ToolDefinition definition, IReplyHooks hooks) : AIFunction
{
    public override string Name => definition.Name;

    public override string Description => definition.Description;

    public override JsonElement JsonSchema => definition.ParametersSchema;

    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        var callId = FunctionInvokingChatClient.CurrentContext?.CallContent.CallId ?? Guid.NewGuid().ToString("N");
        var json = JsonSerializer.Serialize(arguments.ToDictionary(a => a.Key, a => a.Value));
        var output = await hooks.CallToolAsync(new ToolCall(callId, Name, json), cancellationToken);
        return output.IsError ? $"error: {output.Result}" : output.Result;
    }
}

/// <summary>How one call of a reply ended, as history keeps it: its output, or cancelled when the
/// user interrupted before it answered.</summary>
public sealed record ToolExchange(ToolCall Call, ToolOutput Output, bool Cancelled = false)
{
    public const string CancelledResult = "cancelled: the user interrupted before the tool answered";

    /// <summary>What the model reads as the call's result.</summary>
    public string HistoryResult => Cancelled ? CancelledResult : Output.IsError ? $"error: {Output.Result}" : Output.Result;
}

using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace VoiceAgent.Conversation;

/// <summary>
/// One conversation: the chat client, the system prompt, the offered tools and a history that
/// matches what the user actually heard. Plain class, no actors: <see cref="ReplyAsync"/> streams
/// one reply and <see cref="RecordReply"/> stores what of it was heard. History and tools are only
/// changed by the caller's thread; a reply works on a snapshot taken when it is asked for, so the
/// streaming task never races with them.
/// </summary>
public sealed class ConversationEngine(IChatClient client, ConversationSettings settings, string responderName)
{
    /// <summary>Marks an assistant message that the user cut off.</summary>
    public const string InterruptedProperty = "interrupted";

    private readonly List<ChatMessage> _history = [];
    private readonly Dictionary<string, ToolDefinition> _tools = new(StringComparer.Ordinal);
    private readonly ChatTarget _target = ChatTarget.From(settings);

    public string ResponderName { get; } = responderName;

    public IReadOnlyList<ChatMessage> History => _history;

    public IReadOnlyCollection<ToolDefinition> Tools => _tools.Values;

    /// <summary>Why the model gets no tools (offers are kept, but not passed on); null when it does.</summary>
    public string? ToolsUnsupported { get; init; }

    /// <summary>Offers a tool to the model from the next reply on (replaces one of the same name).</summary>
    public void OfferTool(ToolDefinition tool) => _tools[tool.Name] = tool;

    public bool WithdrawTool(string name) => _tools.Remove(name);

    /// <summary>Adds the user's words to history and streams the reply's spoken text, piece by piece.
    /// Reasoning and tool traffic are never yielded. Failures surface as <see cref="ChatReplyException"/>
    /// with one line for the user; tools are offered only when <paramref name="hooks"/> can call them.</summary>
    public IAsyncEnumerable<string> ReplyAsync(string userText, CancellationToken cancellationToken, IReplyHooks? hooks = null)
    {
        // Runs now, on the caller's thread: the stream below only sees these snapshots.
        AdoptDraft(userText);
        return Stream(Prompt().ToList(), OfferedTools(hooks), hooks, cancellationToken);
    }

    /// <summary>Streams a reply to words the user may still add to (a preemptive reply): the prompt
    /// has them, history does not until <see cref="AdoptDraft"/>, so a discarded draft leaves no trace.</summary>
    public IAsyncEnumerable<string> DraftReplyAsync(string userText, CancellationToken cancellationToken, IReplyHooks? hooks = null)
    {
        var prompt = Prompt().Append(new ChatMessage(ChatRole.User, userText)).ToList();
        return Stream(prompt, OfferedTools(hooks), hooks, cancellationToken);
    }

    /// <summary>The draft answering <paramref name="userText"/> is the reply: its words join history.</summary>
    public void AdoptDraft(string userText)
    {
        _history.Add(new ChatMessage(ChatRole.User, userText));
        TrimHistory();
    }

    private List<ToolDefinition> OfferedTools(IReplyHooks? hooks) =>
        hooks is null || ToolsUnsupported is not null ? [] : _tools.Values.ToList();

    private async IAsyncEnumerable<string> Stream(List<ChatMessage> prompt, List<ToolDefinition> tools, IReplyHooks? hooks,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var options = new ChatOptions
        {
            Temperature = settings.Temperature,
            MaxOutputTokens = settings.MaxTokens,
            ModelId = string.IsNullOrEmpty(settings.Model) ? null : settings.Model,
        };
        IChatClient pipeline = new ResilientChatClient(client, settings, _target, hooks is null ? null : hooks.Retrying);
        if (tools.Count > 0)
        {
            options.Tools = tools.Select(t => (AITool)new OfferedToolFunction(t, hooks!)).ToList();
            // Below the function-calling loop, so every model round trip gets its own retries.
            pipeline = new FunctionInvokingChatClient(pipeline)
            {
                MaximumIterationsPerRequest = Math.Max(1, settings.MaxToolRounds),
                AllowConcurrentInvocation = false,
            };
        }

        var think = new ThinkTagFilter();
        var afterTool = false;
        var lastChar = ' ';
        await foreach (var update in pipeline.GetStreamingResponseAsync(prompt, options, cancellationToken))
        {
            if (update.Contents.Any(c => c is FunctionCallContent or FunctionResultContent)) afterTool = true;
            // Only the answer's text is spoken: TextReasoningContent and function calls are not TextContent.
            var text = think.Push(string.Concat(update.Contents.OfType<TextContent>().Select(c => c.Text)));
            if (text.Length == 0) continue;
            // Text before and after a tool call come from two model rounds: keep the words apart.
            if (afterTool && !char.IsWhiteSpace(lastChar) && !char.IsWhiteSpace(text[0])) text = " " + text;
            afterTool = false;
            lastChar = text[^1];
            yield return text;
        }
        var rest = think.Flush();
        if (rest.Length > 0) yield return rest;
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

    /// <summary>Stores a reply's tool calls with their outcomes, each call followed by its result, so
    /// the model knows what it already did (and does not call a tool again whose result it has).</summary>
    public void RecordToolCalls(IEnumerable<ToolExchange> exchanges)
    {
        foreach (var exchange in exchanges)
        {
            var call = new FunctionCallContent(exchange.Call.CallId, exchange.Call.Name, ToolArguments.Parse(exchange.Call.ArgumentsJson));
            _history.Add(new ChatMessage(ChatRole.Assistant, [call]));
            _history.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(exchange.Call.CallId, exchange.HistoryResult)]));
        }
        TrimHistory();
    }

    private IEnumerable<ChatMessage> Prompt()
    {
        if (!string.IsNullOrWhiteSpace(settings.SystemPrompt))
            yield return new ChatMessage(ChatRole.System, settings.SystemPrompt);
        foreach (var message in _history) yield return message;
    }

    /// <summary>Drops the oldest messages until history fits the budget, always keeping the newest.
    /// A tool result never opens history: without its call the endpoint would refuse the request.</summary>
    private void TrimHistory()
    {
        var total = _history.Sum(HistoryLength.Of);
        while (_history.Count > 1 && (total > settings.HistoryBudget || _history[0].Role == ChatRole.Tool))
        {
            total -= HistoryLength.Of(_history[0]);
            _history.RemoveAt(0);
        }
    }
}

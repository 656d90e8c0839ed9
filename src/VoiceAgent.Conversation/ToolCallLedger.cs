using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Conversation;

/// <summary>
/// The tool calls of one turn, in the order they started, and how each ended. Every call that
/// started ends here with a result, an error or as cancelled, so history never holds a call
/// without its result. On an interruption, calls of tools that finish if interrupted run on;
/// the others are cancelled at once.
/// </summary>
internal sealed class ToolCallLedger
{
    private readonly List<Entry> _calls = [];

    /// <summary>A call is still waiting for its tool.</summary>
    public bool AnyRunning => _calls.Any(c => c.Outcome is null);

    public IEnumerable<ToolExchange> Exchanges => _calls.Where(c => c.Outcome is not null).Select(c => c.Outcome!);

    public void Start(ToolCall call, bool finishIfInterrupted, DateTimeOffset at) => _calls.Add(new Entry(call, finishIfInterrupted, at));

    /// <summary>The tool answered: the completion to publish, or null for a call no longer waited for.</summary>
    public ToolCallCompleted? Answered(TurnId turn, string callId, ToolOutput output, DateTimeOffset at)
    {
        var entry = _calls.FirstOrDefault(c => c.Call.CallId == callId && c.Outcome is null);
        if (entry is null) return null;
        entry.Outcome = new ToolExchange(entry.Call, output);
        return new ToolCallCompleted(turn, callId, entry.Call.Name, output.Result, output.IsError, at - entry.StartedAt);
    }

    /// <summary>The user interrupted: running calls stop being waited for, unless their tool finishes
    /// if interrupted. Returns the cancelled calls' completions.</summary>
    public IReadOnlyList<ToolCallCompleted> CancelRunning(TurnId turn, DateTimeOffset at)
    {
        var cancelled = new List<ToolCallCompleted>();
        foreach (var entry in _calls.Where(c => c.Outcome is null && !c.FinishIfInterrupted))
        {
            entry.Outcome = new ToolExchange(entry.Call, new ToolOutput(ToolExchange.CancelledResult, IsError: true), Cancelled: true);
            cancelled.Add(new ToolCallCompleted(turn, entry.Call.CallId, entry.Call.Name, ToolExchange.CancelledResult, true, at - entry.StartedAt)
            {
                Cancelled = true,
            });
        }
        return cancelled;
    }

    private sealed class Entry(ToolCall call, bool finishIfInterrupted, DateTimeOffset startedAt)
    {
        public ToolCall Call { get; } = call;
        public bool FinishIfInterrupted { get; } = finishIfInterrupted;
        public DateTimeOffset StartedAt { get; } = startedAt;
        public ToolExchange? Outcome { get; set; }
    }
}

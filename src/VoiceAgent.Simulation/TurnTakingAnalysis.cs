using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Simulation;

/// <summary>
/// Reads the turn-taking facts off a run's timeline (backchannels, echo transcripts, the end of
/// each user turn, preemptive replies, tool calls, new user turns) and checks the scenario's
/// expectations about them.
/// </summary>
internal static class TurnTakingAnalysis
{
    public static TurnTakingReport Analyze(IReadOnlyList<TimelineEntry> entries)
    {
        var requested = entries.Where(e => e.Event is ToolCallRequested).ToList();
        var completed = entries.Where(e => e.Event is ToolCallCompleted).ToList();
        return new TurnTakingReport
        {
            Recognizer = entries.Select(e => e.Event).OfType<RecognizerReady>().LastOrDefault()?.Description ?? "",
            Backchannels = Each<BackchannelHeard, HeardReport>(entries, (at, b) => new(at, b.Text)),
            EchoTranscriptsDropped = Each<EchoTranscriptDropped, EchoTranscriptReport>(entries, (at, d) => new(at, d.Text, d.Playing)),
            BargeInWords = Each<BargeIn, HeardReport>(entries, (at, b) => new(at, b.Words ?? ""), b => b.Words is not null),
            EndOfTurn = Each<TranscriptFinal, EndOfTurnReport>(entries,
                (at, t) => new(at, t.Text, t.EndOfTurnDelay is { } d ? Math.Round(d.TotalMilliseconds, 1) : null, t.EndOfTurnReason),
                t => t.Source == InputSource.Voice),
            UserTurnContinuedMs = Each<UserTurnContinued, double>(entries, (at, _) => at),
            PreemptiveReplies = Each<PreemptiveReply, PreemptiveReplyReport>(entries,
                (at, p) => new(at, p.Outcome.ToString().ToLowerInvariant(), p.Saved is { } s ? Math.Round(s.TotalMilliseconds, 1) : null)),
            ToolCalls = requested.Select(r =>
            {
                var call = (ToolCallRequested)r.Event;
                var end = completed.FirstOrDefault(c => ((ToolCallCompleted)c.Event).CallId == call.CallId);
                var outcome = end?.Event is ToolCallCompleted done
                    ? done.Cancelled ? "cancelled" : done.IsError ? "failed" : "completed"
                    : "in progress";
                return new ToolCallReport(call.Name, call.CallId, Ms(r.At), end is null ? null : Ms(end.At), outcome);
            }).ToList(),
            UserTurnsStarted = CountUserTurns(entries),
            ForceSentMs = entries.FirstOrDefault(e => e.Event is SpeechInterrupted { Method: "force" }) is { } force ? Ms(force.At) : null,
        };
    }

    /// <summary>Replies begun on the user's voice: each reply with a voice transcript (final or
    /// preliminary) since the reply before it.</summary>
    internal static int CountUserTurns(IReadOnlyList<TimelineEntry> entries)
    {
        var count = 0;
        var heard = false;
        foreach (var e in entries)
        {
            switch (e.Event)
            {
                case TranscriptFinal { Source: InputSource.Voice }:
                case TranscriptPreliminary:
                    heard = true;
                    break;
                case AgentTurnStarted when heard:
                    count++;
                    heard = false;
                    break;
            }
        }
        return count;
    }

    public static void Check(Expectations expect, ScenarioReport report, List<string> failures)
    {
        var turnTaking = report.TurnTaking;
        if (expect.MaxFalseInterruptions is { } maxFalse && report.FalseInterruptions > maxFalse)
            failures.Add($"false interruptions: {report.FalseInterruptions} (at most {maxFalse})");
        if (expect.Backchannels is { } backchannels && backchannels != turnTaking.Backchannels.Count)
            failures.Add($"backchannels: expected {backchannels}, got {turnTaking.Backchannels.Count}");
        if (expect.MinEchoTranscriptsDropped is { } minEcho && turnTaking.EchoTranscriptsDropped.Count < minEcho)
            failures.Add($"echo transcripts dropped: {turnTaking.EchoTranscriptsDropped.Count} (at least {minEcho})");
        if (expect.UserTurns is { } userTurns && userTurns != turnTaking.UserTurnsStarted)
            failures.Add($"user turns started: expected {userTurns}, got {turnTaking.UserTurnsStarted}");
        var open = turnTaking.ToolCalls.Where(c => c.Outcome == "in progress").ToList();
        if (expect.ToolCallsEnded == true && (turnTaking.ToolCalls.Count == 0 || open.Count > 0))
            failures.Add(turnTaking.ToolCalls.Count == 0
                ? "no tool call was requested"
                : $"tool calls never ended: {string.Join(", ", open.Select(c => $"{c.Name} ({c.CallId})"))}");
        var cancelled = turnTaking.ToolCalls.Count(c => c.Outcome == "cancelled");
        if (expect.ToolCallsCancelled is { } expectedCancelled && expectedCancelled != cancelled)
            failures.Add($"tool calls cancelled: expected {expectedCancelled}, got {cancelled}");
        var used = turnTaking.PreemptiveReplies.Count(p => p.Outcome == "used");
        if (expect.PreemptiveRepliesUsed is { } expectedUsed && expectedUsed != used)
            failures.Add($"preemptive replies used: expected {expectedUsed}, got {used}");
        var discarded = turnTaking.PreemptiveReplies.Count(p => p.Outcome == "discarded");
        if (expect.PreemptiveRepliesDiscarded is { } expectedDiscarded && expectedDiscarded != discarded)
            failures.Add($"preemptive replies discarded: expected {expectedDiscarded}, got {discarded}");
    }

    private static List<TOut> Each<TEvent, TOut>(IReadOnlyList<TimelineEntry> entries, Func<double, TEvent, TOut> report, Func<TEvent, bool>? where = null)
        where TEvent : IPipelineEvent =>
        entries.Where(e => e.Event is TEvent t && (where is null || where(t))).Select(e => report(Ms(e.At), (TEvent)e.Event)).ToList();

    private static double Ms(TimeSpan t) => Math.Round(t.TotalMilliseconds, 1);
}

using VoiceAgent.Core.Protocol;
using VoiceAgent.Simulation;

namespace VoiceAgent.Simulation.Tests;

/// <summary>The turn-taking facts on a timeline become the report's figures, and the
/// expectations about them hold or fail.</summary>
public sealed class TurnTakingAnalysisTests
{
    private static readonly DateTimeOffset Wall = DateTimeOffset.UnixEpoch;
    private static readonly TurnId First = new(1), Second = new(2);
    private static TimelineEntry At(double ms, IPipelineEvent e) => new(TimeSpan.FromMilliseconds(ms), e);

    private static readonly List<TimelineEntry> Timeline =
    [
        At(100, new RecognizerReady(true, "scripted recognizer (test double): the scenario's scripted words")),
        At(200, new AgentTurnStarted(First, "Please check my order.", "offline responder", Wall)),
        At(300, new ToolCallRequested(First, "call-1", "slow_lookup", "{}")),
        At(350, new ToolCallRequested(First, "call-2", "slow_lookup", "{}")),
        At(500, new BackchannelHeard(First, "uh-huh", Wall)),
        At(700, new EchoTranscriptDropped("the weather", "here is the weather", Wall)),
        At(900, new BargeIn(First, InputSource.Voice, Wall) { Words = "stop, never mind" }),
        At(905, new SpeechInterrupted(First, "force", Wall)),
        At(910, new ToolCallCompleted(First, "call-1", "slow_lookup", "", false, TimeSpan.FromMilliseconds(610)) { Cancelled = true }),
        At(1000, new TranscriptPreliminary("stop", Wall)),
        At(1100, new UserTurnContinued(Wall)),
        At(1200, new TranscriptFinal("stop, never mind", InputSource.Voice, Wall) { EndOfTurnDelay = TimeSpan.FromMilliseconds(420), EndOfTurnReason = "complete sentence" }),
        At(1250, new PreemptiveReply(PreemptiveOutcome.Discarded, null, Wall)),
        At(1300, new AgentTurnStarted(Second, "stop, never mind", "offline responder", Wall)),
    ];

    [Fact]
    public void Each_fact_lands_in_the_report_at_its_room_time()
    {
        var report = TurnTakingAnalysis.Analyze(Timeline);

        Assert.Contains("test double", report.Recognizer);
        Assert.Equal(new HeardReport(500, "uh-huh"), Assert.Single(report.Backchannels));
        Assert.Equal(new EchoTranscriptReport(700, "the weather", "here is the weather"), Assert.Single(report.EchoTranscriptsDropped));
        Assert.Equal(new HeardReport(900, "stop, never mind"), Assert.Single(report.BargeInWords));
        Assert.Equal(new EndOfTurnReport(1200, "stop, never mind", 420, "complete sentence"), Assert.Single(report.EndOfTurn));
        Assert.Equal([1100.0], report.UserTurnContinuedMs);
        Assert.Equal("discarded", Assert.Single(report.PreemptiveReplies).Outcome);
        Assert.Equal(905, report.ForceSentMs);
        Assert.Equal(["cancelled", "in progress"], report.ToolCalls.Select(c => c.Outcome));
        Assert.Equal(910, report.ToolCalls[0].EndedMs);
        // The prompt's turn was typed; only the reply to "stop, never mind" was begun by the voice.
        Assert.Equal(1, report.UserTurnsStarted);
    }

    [Fact]
    public void The_expectations_about_turn_taking_name_what_differed()
    {
        var report = new ScenarioReport { TurnTaking = TurnTakingAnalysis.Analyze(Timeline), FalseInterruptions = 2 };
        var failures = new List<string>();
        TurnTakingAnalysis.Check(new Expectations
        {
            MaxFalseInterruptions = 1,
            Backchannels = 0,
            MinEchoTranscriptsDropped = 2,
            UserTurns = 2,
            ToolCallsEnded = true,
            ToolCallsCancelled = 1,
            PreemptiveRepliesDiscarded = 1,
        }, report, failures);

        Assert.Equal(
        [
            "false interruptions: 2 (at most 1)",
            "backchannels: expected 0, got 1",
            "echo transcripts dropped: 1 (at least 2)",
            "user turns started: expected 2, got 1",
            "tool calls never ended: slow_lookup (call-2)",
        ], failures);
    }

    [Fact]
    public void Expecting_tool_calls_to_end_fails_when_none_was_requested()
    {
        var failures = new List<string>();
        TurnTakingAnalysis.Check(new Expectations { ToolCallsEnded = true }, new ScenarioReport(), failures);
        Assert.Equal(["no tool call was requested"], failures);
    }

    [Fact]
    public void Sounds_that_continue_a_turn_are_grouped_with_it()
    {
        var turns = UserTurns.Turns([(1, false), (2, true), (3, false), (4, true), (5, true)], s => s.Item2);
        Assert.Equal([[1, 2], [3, 4, 5]], turns.Select(t => t.Select(s => s.Item1).ToArray()).ToArray());
    }
}

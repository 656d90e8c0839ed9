using VoiceAgent.Core.Protocol;
using E = VoiceAgent.Conversation.TurnEffect;

namespace VoiceAgent.Conversation.Tests;

/// <summary>Preemptive replies, tool calls around interruptions and the order of history, decided
/// by the turn coordinator on its own.</summary>
public class TurnCoordinatorTurnTakingTests
{
    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; private set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;

        public void Advance(int milliseconds) => Now += TimeSpan.FromMilliseconds(milliseconds);
    }

    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TurnId Turn1 = TurnId.None.Next();
    private static readonly TurnId Turn2 = Turn1.Next();

    private readonly ManualClock _clock = new(T0);
    private readonly TurnCoordinator _turns;

    public TurnCoordinatorTurnTakingTests() => _turns = new TurnCoordinator("test model", _clock);

    private static DateTimeOffset Ms(int milliseconds) => T0 + TimeSpan.FromMilliseconds(milliseconds);

    private static TranscriptFinal Heard(string text, DateTimeOffset speechEnded) => new(text, InputSource.Voice, speechEnded);

    private static TranscriptPreliminary Paused(string text) => new(text, T0);

    private static ToolCallWanted Wanted(TurnId turn, string callId = "call_1") => new(turn, new ToolCall(callId, "lookup", "{}"));

    private static PlaybackStopped Stopped(TurnId turn, string heard) => new(turn, TimeSpan.FromSeconds(1), heard, T0);

    private static int IndexOf(IReadOnlyList<TurnEffect> effects, Func<TurnEffect, bool> match) => effects.ToList().FindIndex(e => match(e));

    // ----- preemptive replies -----

    [Fact]
    public void A_pause_starts_a_draft_that_announces_nothing()
    {
        var effects = _turns.OnPreliminary(Paused("what is the weather"));

        Assert.Equal(new TurnEffect[] { new E.StreamDraft(Turn1, "what is the weather") }, effects);
        Assert.Equal(TurnPhase.Idle, _turns.Phase);
        // Its text is held: nothing is announced or spoken.
        Assert.Empty(_turns.OnReplyDelta(new ReplyDelta(Turn1, "It is ")));
        Assert.Empty(_turns.OnReplyDelta(new ReplyDelta(Turn1, "sunny.")));
        Assert.Empty(_turns.OnReplyEnded(new ReplyEnded(Turn1, null)));
    }

    [Fact]
    public void The_same_final_words_adopt_the_draft_the_turn_starts_then_the_held_text_is_announced()
    {
        _clock.Advance(100);
        _turns.OnPreliminary(Paused("what is the weather"));
        _clock.Advance(250);
        _turns.OnReplyDelta(new ReplyDelta(Turn1, "It is "));
        _clock.Advance(150);

        var effects = _turns.OnTranscript(Heard("What is the weather?", T0));

        Assert.Equal(new TurnEffect[] {
            new E.AdoptDraft(Turn1, "what is the weather"),
            new E.Announce(new AgentTurnStarted(Turn1, "What is the weather?", "test model", Ms(500))),
            new E.Publish(new PreemptiveReply(PreemptiveOutcome.Used, TimeSpan.FromMilliseconds(400), Ms(500))),
            new E.Announce(new AgentText(Turn1, "It is ")),
        }, effects);
        Assert.Equal((TurnPhase.Replying, Turn1), (_turns.Phase, _turns.CurrentTurn));
        // The rest streams as usual.
        Assert.Equal(new TurnEffect[] { new E.Announce(new AgentText(Turn1, "sunny.")) }, _turns.OnReplyDelta(new ReplyDelta(Turn1, "sunny.")));
        Assert.Equal(new TurnEffect[] { new E.Announce(new AgentTextCompleted(Turn1, "It is sunny.")) }, _turns.OnReplyEnded(new ReplyEnded(Turn1, null)));
    }

    [Fact]
    public void A_draft_that_ended_before_it_was_adopted_completes_at_once()
    {
        _turns.OnPreliminary(Paused("hello"));
        _turns.OnReplyDelta(new ReplyDelta(Turn1, "Hi."));
        _turns.OnReplyEnded(new ReplyEnded(Turn1, null));

        var effects = _turns.OnTranscript(Heard("hello", T0));

        Assert.Equal(new E.Announce(new AgentText(Turn1, "Hi.")), effects[^2]);
        Assert.Equal(new E.Announce(new AgentTextCompleted(Turn1, "Hi.")), effects[^1]);
        Assert.Equal(TurnPhase.Speaking, _turns.Phase);
    }

    [Fact]
    public void An_adopted_drafts_latency_counts_from_the_speech_end()
    {
        _clock.Advance(200); // the pause is decided 200 ms after the speech ended
        _turns.OnPreliminary(Paused("hello"));
        _clock.Advance(300); // the model's first token
        _turns.OnReplyDelta(new ReplyDelta(Turn1, "Hi."));
        _clock.Advance(300); // the end of the turn is decided later still
        _turns.OnTranscript(Heard("hello", T0));
        _turns.OnReplyEnded(new ReplyEnded(Turn1, null));

        var latency = Assert.IsType<TurnLatency>(Assert.IsType<E.Publish>(Assert.Single(_turns.OnPlaybackStarted(new PlaybackStarted(Turn1, Ms(900))))).Event);

        Assert.Equal(TimeSpan.FromMilliseconds(500), latency.FirstText);
        Assert.Equal(TimeSpan.FromMilliseconds(900), latency.FirstAudio);
        Assert.Equal(TimeSpan.FromMilliseconds(800), latency.Transcript);
        Assert.Equal(TimeSpan.FromMilliseconds(300), latency.ModelFirstToken);
        Assert.Equal(TimeSpan.FromMilliseconds(400), latency.TextToAudio);
    }

    [Fact]
    public void Different_final_words_discard_the_draft_and_start_a_fresh_reply()
    {
        _turns.OnPreliminary(Paused("what is the"));
        _turns.OnReplyDelta(new ReplyDelta(Turn1, "What is what?"));

        var effects = _turns.OnTranscript(Heard("what is the time", T0));

        Assert.Equal(new TurnEffect[] {
            new E.StopReply(Turn1),
            new E.ReleaseReply(Turn1),
            new E.Publish(new PreemptiveReply(PreemptiveOutcome.Discarded, null, T0)),
            new E.Announce(new AgentTurnStarted(Turn2, "what is the time", "test model", T0)),
            new E.StreamReply(Turn2, "what is the time"),
        }, effects);
        // The discarded draft's late text is stale.
        Assert.Empty(_turns.OnReplyDelta(new ReplyDelta(Turn1, "late")));
    }

    [Fact]
    public void The_user_going_on_discards_the_draft_and_the_final_then_starts_afresh()
    {
        _turns.OnPreliminary(Paused("set a timer"));

        Assert.Equal(new TurnEffect[] {
            new E.StopReply(Turn1),
            new E.ReleaseReply(Turn1),
            new E.Publish(new PreemptiveReply(PreemptiveOutcome.Discarded, null, T0)),
        }, _turns.OnUserTurnContinued());

        Assert.Contains(new E.StreamReply(Turn2, "set a timer"), _turns.OnTranscript(Heard("set a timer", T0)));
    }

    [Fact]
    public void No_draft_while_a_turn_runs_it_starts_once_that_turn_is_committed()
    {
        _turns.OnTranscript(Heard("tell me a story", T0));
        _turns.OnBargeIn(new BargeIn(Turn1, InputSource.Voice, T0));

        // Heard while the interrupted turn waits for its stop report.
        Assert.Empty(_turns.OnPreliminary(Paused("actually")));

        var effects = _turns.OnPlaybackStopped(Stopped(Turn1, "Once"));
        var recorded = IndexOf(effects, e => e is E.RecordReply);
        var drafted = IndexOf(effects, e => e is E.StreamDraft);
        Assert.True(recorded >= 0 && recorded < drafted, string.Join(", ", effects));
        Assert.Equal(new E.StreamDraft(Turn2, "actually"), effects[drafted]);
    }

    [Fact]
    public void A_preliminary_during_a_turn_then_the_user_going_on_starts_no_draft()
    {
        _turns.OnTranscript(Heard("hello", T0));
        _turns.OnPreliminary(Paused("and"));
        _turns.OnUserTurnContinued();
        _turns.OnReplyDelta(new ReplyDelta(Turn1, "Hi."));
        _turns.OnReplyEnded(new ReplyEnded(Turn1, null));

        Assert.DoesNotContain(_turns.OnPlaybackFinished(new PlaybackFinished(Turn1, TimeSpan.Zero, "Hi.", T0)), e => e is E.StreamDraft);
    }

    [Fact]
    public void A_say_during_a_draft_discards_it()
    {
        _turns.OnPreliminary(Paused("hello"));

        var effects = _turns.OnSay(new Say("Dinner is ready."));

        Assert.Equal(new E.StopReply(Turn1), effects[0]);
        Assert.Contains(new E.SpeakGivenText(Turn2, "Dinner is ready."), effects);
    }

    [Fact]
    public void With_preemptive_replies_off_a_pause_does_nothing()
    {
        var turns = new TurnCoordinator("test model", _clock, preemptiveReplies: false);
        Assert.Empty(turns.OnPreliminary(Paused("hello")));
        Assert.Contains(new E.StreamReply(Turn1, "hello"), turns.OnTranscript(Heard("hello", T0)));
    }

    // ----- tool calls -----

    [Fact]
    public void A_tool_call_of_the_running_turn_runs_and_its_answer_goes_back_then_into_history()
    {
        _turns.OnTranscript(Heard("look it up", T0));
        Assert.Equal(new TurnEffect[] { new E.RunToolCall(Turn1, Wanted(Turn1).Call) }, _turns.OnToolCallWanted(Wanted(Turn1), false));
        _clock.Advance(40);

        var answered = _turns.OnToolCallAnswered(new ToolCallAnswered(Turn1, "call_1", new ToolOutput("42")));

        Assert.Equal(new TurnEffect[] {
            new E.Publish(new ToolCallCompleted(Turn1, "call_1", "lookup", "42", false, TimeSpan.FromMilliseconds(40))),
            new E.AnswerToolCall("call_1", new ToolOutput("42")),
        }, answered);
        _turns.OnReplyDelta(new ReplyDelta(Turn1, "It is 42."));
        _turns.OnReplyEnded(new ReplyEnded(Turn1, null));
        var ended = _turns.OnPlaybackFinished(new PlaybackFinished(Turn1, TimeSpan.Zero, "It is 42.", T0));
        var tools = IndexOf(ended, e => e is E.RecordToolCalls);
        Assert.Equal(new ToolExchange(Wanted(Turn1).Call, new ToolOutput("42")), Assert.Single(((E.RecordToolCalls)ended[tools]).Exchanges));
        Assert.Equal(tools + 1, IndexOf(ended, e => e is E.RecordReply));
    }

    [Fact]
    public void A_tool_call_of_an_interrupted_turn_is_refused()
    {
        _turns.OnTranscript(Heard("look it up", T0));
        _turns.OnBargeIn(new BargeIn(Turn1, InputSource.Voice, T0));

        Assert.Equal(new TurnEffect[] { new E.AnswerToolCall("call_1", null) }, _turns.OnToolCallWanted(Wanted(Turn1), false));
    }

    [Fact]
    public void A_drafts_tool_call_waits_for_adoption()
    {
        _turns.OnPreliminary(Paused("look it up"));
        Assert.Empty(_turns.OnToolCallWanted(Wanted(Turn1), false));

        var effects = _turns.OnTranscript(Heard("look it up", T0));

        Assert.Equal(new E.RunToolCall(Turn1, Wanted(Turn1).Call), effects[^1]);
    }

    [Fact]
    public void A_discarded_drafts_tool_call_never_runs()
    {
        _turns.OnPreliminary(Paused("look it up"));
        _turns.OnToolCallWanted(Wanted(Turn1), false);

        var effects = _turns.OnUserTurnContinued();

        Assert.Contains(new E.AnswerToolCall("call_1", null), effects);
        Assert.DoesNotContain(effects, e => e is E.RunToolCall);
    }

    [Fact]
    public void An_interruption_cancels_a_running_call_and_history_records_it_as_cancelled()
    {
        _turns.OnTranscript(Heard("look it up", T0));
        _turns.OnToolCallWanted(Wanted(Turn1), finishIfInterrupted: false);
        _clock.Advance(30);

        var barge = _turns.OnBargeIn(new BargeIn(Turn1, InputSource.Voice, T0));

        var cancelled = Assert.IsType<ToolCallCompleted>(Assert.IsType<E.Publish>(barge[^1]).Event);
        Assert.True(cancelled.Cancelled && cancelled.IsError);
        Assert.Equal(TimeSpan.FromMilliseconds(30), cancelled.Duration);
        // The tool's late answer is no longer waited for.
        Assert.Empty(_turns.OnToolCallAnswered(new ToolCallAnswered(Turn1, "call_1", new ToolOutput("42"))));
        var ended = _turns.OnPlaybackStopped(Stopped(Turn1, ""));
        var exchange = Assert.Single(Assert.IsType<E.RecordToolCalls>(ended.Single(e => e is E.RecordToolCalls)).Exchanges);
        Assert.True(exchange.Cancelled);
        Assert.Equal(ToolExchange.CancelledResult, exchange.HistoryResult);
    }

    [Fact]
    public void A_call_that_finishes_if_interrupted_runs_on_and_the_turn_ends_with_its_result()
    {
        _turns.OnTranscript(Heard("book it", T0));
        _turns.OnToolCallWanted(Wanted(Turn1), finishIfInterrupted: true);
        var barge = _turns.OnBargeIn(new BargeIn(Turn1, InputSource.Voice, T0));
        Assert.DoesNotContain(barge, e => e is E.Publish { Event: ToolCallCompleted });
        _turns.OnTranscript(Heard("never mind", T0));

        // Playback's account is in, but the call still runs: the turn waits for it.
        Assert.Empty(_turns.OnPlaybackStopped(Stopped(Turn1, "Booking")));
        Assert.Empty(_turns.OnStopReportOverdue(new StopReportOverdue(Turn1)));
        Assert.Equal(TurnPhase.Interrupted, _turns.Phase);

        var effects = _turns.OnToolCallAnswered(new ToolCallAnswered(Turn1, "call_1", new ToolOutput("booked")));

        Assert.IsType<ToolCallCompleted>(Assert.IsType<E.Publish>(effects[0]).Event);
        Assert.DoesNotContain(effects, e => e is E.AnswerToolCall);
        var tools = IndexOf(effects, e => e is E.RecordToolCalls);
        var reply = IndexOf(effects, e => e == new E.RecordReply("Booking", Interrupted: true));
        var next = IndexOf(effects, e => e == new E.StreamReply(Turn2, "never mind"));
        Assert.True(tools >= 0 && tools < reply && reply < next, string.Join(", ", effects));
        Assert.Equal("booked", Assert.Single(((E.RecordToolCalls)effects[tools]).Exchanges).Output.Result);
    }

    // ----- history order: an interrupted reply is committed before the turn that interrupted it -----

    private void StoryInterruptedBy(Action interruption)
    {
        _turns.OnTranscript(Heard("tell me a story", T0));
        _turns.OnReplyDelta(new ReplyDelta(Turn1, "Once upon a time."));
        interruption();
    }

    private static void AssertCommittedBeforeNext(IReadOnlyList<TurnEffect> effects, string heard)
    {
        var record = IndexOf(effects, e => e == new E.RecordReply(heard, Interrupted: true));
        var next = IndexOf(effects, e => e == new E.StreamReply(Turn2, "stop"));
        Assert.True(record >= 0 && record < next, string.Join(", ", effects));
    }

    [Fact]
    public void The_interrupting_transcript_arriving_before_the_barge_in_waits_for_the_commit()
    {
        StoryInterruptedBy(() =>
        {
            Assert.Empty(_turns.OnTranscript(Heard("stop", T0)));
            _turns.OnBargeIn(new BargeIn(Turn1, InputSource.Voice, T0));
        });
        AssertCommittedBeforeNext(_turns.OnPlaybackStopped(Stopped(Turn1, "Once")), "Once");
    }

    [Fact]
    public void The_interrupting_transcript_arriving_before_the_stop_report_waits_for_the_commit()
    {
        StoryInterruptedBy(() =>
        {
            _turns.OnBargeIn(new BargeIn(Turn1, InputSource.Voice, T0));
            Assert.Empty(_turns.OnTranscript(Heard("stop", T0)));
        });
        AssertCommittedBeforeNext(_turns.OnPlaybackStopped(Stopped(Turn1, "Once upon")), "Once upon");
    }

    [Fact]
    public void With_the_stop_report_overdue_the_last_progress_is_committed_first()
    {
        StoryInterruptedBy(() =>
        {
            _turns.OnPlaybackProgress(new PlaybackProgress(Turn1, TimeSpan.FromSeconds(1), "Once"));
            _turns.OnBargeIn(new BargeIn(Turn1, InputSource.Voice, T0));
            _turns.OnTranscript(Heard("stop", T0));
        });
        AssertCommittedBeforeNext(_turns.OnStopReportOverdue(new StopReportOverdue(Turn1)), "Once");
        Assert.Empty(_turns.OnPlaybackStopped(Stopped(Turn1, "Once upon")));
    }

    [Fact]
    public void A_preliminary_while_waiting_for_the_stop_report_then_its_final_come_after_the_commit()
    {
        StoryInterruptedBy(() =>
        {
            _turns.OnBargeIn(new BargeIn(Turn1, InputSource.Voice, T0));
            Assert.Empty(_turns.OnPreliminary(Paused("stop")));
            Assert.Empty(_turns.OnTranscript(Heard("stop", T0)));
        });
        var effects = _turns.OnPlaybackStopped(Stopped(Turn1, "Once"));
        AssertCommittedBeforeNext(effects, "Once");
        Assert.DoesNotContain(effects, e => e is E.StreamDraft);
    }
}

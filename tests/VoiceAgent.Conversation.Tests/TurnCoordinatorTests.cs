using VoiceAgent.Core.Protocol;
using E = VoiceAgent.Conversation.TurnEffect;

namespace VoiceAgent.Conversation.Tests;

/// <summary>The turn state machine on its own: inputs in, effects out, no actors.</summary>
public class TurnCoordinatorTests
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

    public TurnCoordinatorTests() => _turns = new TurnCoordinator("test model", _clock);

    private static TranscriptFinal Heard(string text, DateTimeOffset speechEnded) => new(text, InputSource.Voice, speechEnded);

    private static DateTimeOffset Ms(int milliseconds) => T0 + TimeSpan.FromMilliseconds(milliseconds);

    /// <summary>Starts turn 1 from "hello" and streams "Hi there." as its complete text.</summary>
    private void ReplyHiThere()
    {
        _turns.OnTranscript(Heard("hello", T0));
        _turns.OnReplyDelta(new ReplyDelta(Turn1, "Hi "));
        _turns.OnReplyDelta(new ReplyDelta(Turn1, "there."));
        _turns.OnReplyEnded(new ReplyEnded(Turn1, null));
    }

    private static int IndexOf(IReadOnlyList<TurnEffect> effects, TurnEffect effect) => effects.ToList().IndexOf(effect);

    private static PlaybackFinished Finished(TurnId turn, string heard) => new(turn, TimeSpan.FromSeconds(1), heard, T0);

    private static PlaybackStopped Stopped(TurnId turn, string heard) => new(turn, TimeSpan.FromSeconds(1), heard, T0);

    [Fact]
    public void A_transcript_starts_a_turn_that_asks_the_model()
    {
        _clock.Advance(40);

        var effects = _turns.OnTranscript(Heard("hello", T0));

        Assert.Equal(new TurnEffect[] {
            new E.Announce(new AgentTurnStarted(Turn1, "hello", "test model", Ms(40))),
            new E.StreamReply(Turn1, "hello"),
        }, effects);
        Assert.Equal((TurnPhase.Replying, Turn1), (_turns.Phase, _turns.CurrentTurn));
    }

    [Fact]
    public void Reply_text_is_announced_piece_by_piece_then_complete()
    {
        _turns.OnTranscript(Heard("hello", T0));

        Assert.Equal(new TurnEffect[] { new E.Announce(new AgentText(Turn1, "Hi ")) }, _turns.OnReplyDelta(new ReplyDelta(Turn1, "Hi ")));
        Assert.Equal(new TurnEffect[] { new E.Announce(new AgentText(Turn1, "there.")) }, _turns.OnReplyDelta(new ReplyDelta(Turn1, "there.")));
        Assert.Equal(new TurnEffect[] { new E.Announce(new AgentTextCompleted(Turn1, "Hi there.")) }, _turns.OnReplyEnded(new ReplyEnded(Turn1, null)));
        Assert.Equal(TurnPhase.Speaking, _turns.Phase);
    }

    [Fact]
    public void A_turn_completes_when_playback_finishes_and_history_keeps_the_whole_reply()
    {
        ReplyHiThere();

        var effects = _turns.OnPlaybackFinished(Finished(Turn1, "Hi there"));

        Assert.Equal(new E.ReleaseReply(Turn1), effects[0]);
        Assert.Equal(new E.RecordReply("Hi there.", Interrupted: false), effects[1]);
        Assert.IsType<TurnLatency>(Assert.IsType<E.Publish>(effects[2]).Event);
        Assert.Equal(new E.Publish(new AgentTurnEnded(Turn1, TurnOutcome.Completed, "Hi there.")), effects[3]);
        Assert.Equal(new E.BecameIdle(), effects[4]);
        Assert.Equal(5, effects.Count);
        Assert.Equal((TurnPhase.Idle, TurnId.None), (_turns.Phase, _turns.CurrentTurn));
    }

    [Fact]
    public void Playback_finishing_before_the_text_is_complete_does_not_end_the_turn()
    {
        _turns.OnTranscript(Heard("hello", T0));
        _turns.OnReplyDelta(new ReplyDelta(Turn1, "Hi "));

        Assert.Empty(_turns.OnPlaybackFinished(Finished(Turn1, "Hi")));
        Assert.Equal(TurnPhase.Replying, _turns.Phase);
    }

    [Fact]
    public void A_barge_in_stops_the_reply_and_waits_for_playbacks_account()
    {
        _turns.OnTranscript(Heard("tell me a story", T0));
        _turns.OnReplyDelta(new ReplyDelta(Turn1, "Once upon a time, "));

        var effects = _turns.OnBargeIn(new BargeIn(Turn1, InputSource.Voice, T0));

        Assert.Equal(new TurnEffect[] { new E.StopReply(Turn1), new E.WaitForStopReport(Turn1) }, effects);
        Assert.Equal(TurnPhase.Interrupted, _turns.Phase);
        // What the model still streams is dropped, and a second barge-in changes nothing.
        Assert.Empty(_turns.OnReplyDelta(new ReplyDelta(Turn1, "there was")));
        Assert.Empty(_turns.OnReplyEnded(new ReplyEnded(Turn1, null)));
        Assert.Empty(_turns.OnBargeIn(new BargeIn(Turn1, InputSource.Keyboard, T0)));
        Assert.Empty(_turns.OnPlaybackFinished(Finished(Turn1, "Once upon a time,")));
    }

    [Fact]
    public void An_interrupted_reply_is_committed_with_only_the_heard_words()
    {
        _turns.OnTranscript(Heard("tell me a story", T0));
        _turns.OnReplyDelta(new ReplyDelta(Turn1, "Once upon a time, there was a king."));
        _turns.OnPlaybackProgress(new PlaybackProgress(Turn1, TimeSpan.FromSeconds(1), "Once"));
        _turns.OnBargeIn(new BargeIn(Turn1, InputSource.Voice, T0));

        var effects = _turns.OnPlaybackStopped(Stopped(Turn1, "Once upon a"));

        Assert.Contains(new E.RecordReply("Once upon a", Interrupted: true), effects);
        Assert.Contains(new E.Publish(new AgentTurnEnded(Turn1, TurnOutcome.Interrupted, "Once upon a")), effects);
        Assert.Equal(new E.BecameIdle(), effects[^1]);
    }

    [Fact]
    public void Without_a_stop_report_in_time_the_last_progress_is_what_was_heard()
    {
        _turns.OnTranscript(Heard("tell me a story", T0));
        _turns.OnReplyDelta(new ReplyDelta(Turn1, "Once upon a time, there was a king."));
        _turns.OnPlaybackProgress(new PlaybackProgress(Turn1, TimeSpan.FromSeconds(1), "Once upon a time,"));
        _turns.OnBargeIn(new BargeIn(Turn1, InputSource.Voice, T0));

        var effects = _turns.OnStopReportOverdue(new StopReportOverdue(Turn1));

        Assert.Contains(new E.RecordReply("Once upon a time,", Interrupted: true), effects);
        Assert.Contains(new E.Publish(new AgentTurnEnded(Turn1, TurnOutcome.Interrupted, "Once upon a time,")), effects);
        // The stop report arriving late is stale.
        Assert.Empty(_turns.OnPlaybackStopped(Stopped(Turn1, "Once upon a time, there")));
    }

    [Fact]
    public void Stop_reports_of_a_turn_that_was_not_interrupted_are_ignored()
    {
        ReplyHiThere();

        Assert.Empty(_turns.OnPlaybackStopped(Stopped(Turn1, "Hi")));
        Assert.Empty(_turns.OnStopReportOverdue(new StopReportOverdue(Turn1)));
        Assert.Equal(TurnPhase.Speaking, _turns.Phase);
    }

    [Fact]
    public void Input_during_a_turn_waits_and_starts_the_next_turn_after_history_is_settled()
    {
        _turns.OnTranscript(Heard("tell me a story", T0));
        _turns.OnBargeIn(new BargeIn(Turn1, InputSource.Keyboard, T0));
        _clock.Advance(100);
        Assert.Empty(_turns.OnTranscript(Heard("stop", Ms(90))));
        _clock.Advance(100);

        var effects = _turns.OnPlaybackStopped(Stopped(Turn1, ""));

        var ended = IndexOf(effects, new E.Publish(new AgentTurnEnded(Turn1, TurnOutcome.Interrupted, "")));
        var record = IndexOf(effects, new E.RecordReply("", Interrupted: true));
        var started = IndexOf(effects, new E.Announce(new AgentTurnStarted(Turn2, "stop", "test model", Ms(200))));
        Assert.True(record >= 0 && record < ended && ended < started, string.Join(", ", effects));
        Assert.Equal(new E.StreamReply(Turn2, "stop"), effects[^1]);
        Assert.DoesNotContain(new E.BecameIdle(), effects);
        Assert.Equal((TurnPhase.Replying, Turn2), (_turns.Phase, _turns.CurrentTurn));
    }

    [Fact]
    public void Queued_inputs_start_in_the_order_they_arrived()
    {
        ReplyHiThere();
        _turns.OnSay(new Say("Dinner is ready."));
        _turns.OnTranscript(Heard("thanks", T0));

        var second = _turns.OnPlaybackFinished(Finished(Turn1, "Hi there."));
        Assert.Equal(new E.SpeakGivenText(Turn2, "Dinner is ready."), second[^1]);
        _turns.OnReplyDelta(new ReplyDelta(Turn2, "Dinner is ready."));
        _turns.OnReplyEnded(new ReplyEnded(Turn2, null));

        var third = _turns.OnPlaybackFinished(Finished(Turn2, "Dinner is ready."));
        Assert.Equal(new E.StreamReply(Turn2.Next(), "thanks"), third[^1]);
    }

    [Fact]
    public void Messages_of_an_earlier_turn_are_stale()
    {
        ReplyHiThere();
        _turns.OnPlaybackFinished(Finished(Turn1, "Hi there."));
        _turns.OnTranscript(Heard("again", T0));

        Assert.Empty(_turns.OnReplyDelta(new ReplyDelta(Turn1, "late")));
        Assert.Empty(_turns.OnReplyEnded(new ReplyEnded(Turn1, "late failure")));
        Assert.Empty(_turns.OnPlaybackStarted(new PlaybackStarted(Turn1, T0)));
        Assert.Empty(_turns.OnPlaybackFinished(Finished(Turn1, "Hi there.")));
        Assert.Empty(_turns.OnBargeIn(new BargeIn(Turn1, InputSource.Voice, T0)));
        Assert.Empty(_turns.OnPlaybackStopped(Stopped(Turn1, "")));
        Assert.Empty(_turns.OnStopReportOverdue(new StopReportOverdue(Turn1)));
        Assert.Equal((TurnPhase.Replying, Turn2), (_turns.Phase, _turns.CurrentTurn));
    }

    [Fact]
    public void With_no_turn_running_turn_messages_and_interrupts_change_nothing()
    {
        Assert.Empty(_turns.OnInterrupt());
        Assert.Empty(_turns.OnBargeIn(new BargeIn(Turn1, InputSource.Voice, T0)));
        Assert.Empty(_turns.OnReplyEnded(new ReplyEnded(Turn1, null)));
        Assert.Equal(TurnPhase.Idle, _turns.Phase);
    }

    [Fact]
    public void Interrupt_asks_for_a_barge_in_of_the_current_turn_even_when_already_interrupted()
    {
        _turns.OnTranscript(Heard("tell me a story", T0));
        _clock.Advance(5);
        var expected = new E.PublishBargeIn(new BargeIn(Turn1, InputSource.Command, Ms(5)));

        Assert.Equal(new TurnEffect[] { expected }, _turns.OnInterrupt());
        _turns.OnBargeIn(expected.BargeIn);
        Assert.Equal(new TurnEffect[] { expected }, _turns.OnInterrupt());
    }

    [Fact]
    public void Say_speaks_the_given_text_through_the_mailbox_and_history_keeps_it_as_said()
    {
        var effects = _turns.OnSay(new Say("Dinner is ready."));

        Assert.Equal(new TurnEffect[] {
            new E.Announce(new AgentTurnStarted(Turn1, "", "say", T0)),
            new E.SpeakGivenText(Turn1, "Dinner is ready."),
        }, effects);
        _turns.OnReplyDelta(new ReplyDelta(Turn1, "Dinner is ready."));
        _turns.OnReplyEnded(new ReplyEnded(Turn1, null));
        Assert.Contains(new E.RecordSaid("Dinner is ready."), _turns.OnPlaybackFinished(Finished(Turn1, "Dinner is ready.")));
    }

    [Fact]
    public void An_empty_reply_fails_the_turn_at_once()
    {
        _turns.OnTranscript(Heard("hello", T0));

        var effects = _turns.OnReplyEnded(new ReplyEnded(Turn1, null));

        const string error = "the model returned an empty reply";
        Assert.Equal(new E.LogReplyFailure(error, null), effects[0]);
        Assert.Equal(new E.Publish(new StatusNotice("conversation", error, NoticeLevel.Error)), effects[1]);
        Assert.Equal(new E.Announce(new AgentTextCompleted(Turn1, "")), effects[2]);
        Assert.Equal(new E.ReleaseReply(Turn1), effects[3]);
        // Nothing was heard, so history gets no reply.
        Assert.IsType<TurnLatency>(Assert.IsType<E.Publish>(effects[4]).Event);
        Assert.Equal(new E.Publish(new AgentTurnEnded(Turn1, TurnOutcome.Failed, "", error)), effects[5]);
        Assert.Equal(new E.BecameIdle(), effects[6]);
        Assert.Equal(7, effects.Count);
    }

    [Fact]
    public void A_reply_failing_midway_ends_when_playback_finishes_with_what_was_heard()
    {
        var cause = new InvalidOperationException("socket closed");
        _turns.OnTranscript(Heard("hello", T0));
        _turns.OnReplyDelta(new ReplyDelta(Turn1, "Hi there, "));

        var failed = _turns.OnReplyEnded(new ReplyEnded(Turn1, "the reply failed: socket closed", cause));

        Assert.Equal(new E.LogReplyFailure("the reply failed: socket closed", cause), failed[0]);
        Assert.Equal(new E.Announce(new AgentTextCompleted(Turn1, "Hi there, ")), failed[^1]);
        Assert.Equal(TurnPhase.Speaking, _turns.Phase);

        var ended = _turns.OnPlaybackFinished(Finished(Turn1, "Hi there,"));
        Assert.Contains(new E.RecordReply("Hi there,", Interrupted: false), ended);
        Assert.Contains(new E.Publish(new AgentTurnEnded(Turn1, TurnOutcome.Failed, "Hi there,", "the reply failed: socket closed")), ended);
    }

    [Fact]
    public void Latency_is_published_once_when_the_first_audio_plays()
    {
        _clock.Advance(200); // recognition
        _turns.OnTranscript(Heard("hello", T0));
        _clock.Advance(300); // the model's first token
        _turns.OnReplyDelta(new ReplyDelta(Turn1, "Hi "));
        _turns.OnReplyDelta(new ReplyDelta(Turn1, "there."));
        _turns.OnReplyEnded(new ReplyEnded(Turn1, null));

        var effects = _turns.OnPlaybackStarted(new PlaybackStarted(Turn1, Ms(900)));

        var expected = new TurnLatency(Turn1, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(900))
        {
            Transcript = TimeSpan.FromMilliseconds(200),
            ModelFirstToken = TimeSpan.FromMilliseconds(300),
            TextToAudio = TimeSpan.FromMilliseconds(400),
        };
        Assert.Equal(new TurnEffect[] { new E.Publish(expected) }, effects);
        Assert.Empty(_turns.OnPlaybackStarted(new PlaybackStarted(Turn1, Ms(950))));
        Assert.DoesNotContain(_turns.OnPlaybackFinished(Finished(Turn1, "Hi there.")), e => e is E.Publish { Event: TurnLatency });
    }

    [Fact]
    public void A_turn_without_audio_publishes_its_latency_before_it_ends()
    {
        _turns.OnSay(new Say("Hello."));
        _clock.Advance(10);
        _turns.OnReplyDelta(new ReplyDelta(Turn1, "Hello."));
        _turns.OnReplyEnded(new ReplyEnded(Turn1, null));

        var effects = _turns.OnPlaybackFinished(Finished(Turn1, "Hello."));

        var latency = new TurnLatency(Turn1, TimeSpan.FromMilliseconds(10), null);
        Assert.Equal(IndexOf(effects, new E.Publish(latency)) + 1, IndexOf(effects, new E.Publish(new AgentTurnEnded(Turn1, TurnOutcome.Completed, "Hello."))));
    }

    private static TranscriptFinal Typed(string text) => new(text, InputSource.Keyboard, T0);

    [Fact]
    public void A_typed_line_while_idle_starts_a_turn_and_no_barge_in()
    {
        var effects = _turns.OnTranscript(Typed("hello"));
        Assert.DoesNotContain(effects, e => e is E.PublishBargeIn);
        Assert.Contains(new E.StreamReply(Turn1, "hello"), effects);
    }

    [Fact]
    public void Typing_while_the_agent_speaks_barges_in_before_the_line_waits_for_the_turn()
    {
        ReplyHiThere();

        var effects = _turns.OnTranscript(Typed("stop"));

        Assert.Equal([new E.PublishBargeIn(new BargeIn(Turn1, InputSource.Keyboard, T0))], effects);
        // The barge-in comes back as a fact: the turn ends on playback's account, then the line is answered.
        _turns.OnBargeIn(new BargeIn(Turn1, InputSource.Keyboard, T0));
        var next = _turns.OnPlaybackStopped(Stopped(Turn1, "Hi"));
        Assert.Contains(new E.StreamReply(Turn2, "stop"), next);
    }

    [Fact]
    public void A_turn_is_interrupted_by_typing_once()
    {
        ReplyHiThere();
        _turns.OnTranscript(Typed("stop"));
        Assert.DoesNotContain(_turns.OnTranscript(Typed("stop now")), e => e is E.PublishBargeIn);
    }

    [Fact]
    public void After_the_turn_ends_typing_no_longer_interrupts()
    {
        ReplyHiThere();
        _turns.OnPlaybackFinished(Finished(Turn1, "Hi there."));
        Assert.DoesNotContain(_turns.OnTranscript(Typed("next")), e => e is E.PublishBargeIn);
    }

    [Fact]
    public void With_barge_in_disabled_typing_waits_instead_of_interrupting()
    {
        var turns = new TurnCoordinator("test model", _clock, typingInterrupts: false);
        turns.OnTranscript(Heard("hello", T0));
        Assert.Empty(turns.OnTranscript(Typed("later")));
        Assert.Equal(TurnPhase.Replying, turns.Phase);
    }

    [Fact]
    public void Speech_while_the_agent_speaks_waits_for_the_recognizers_barge_in()
    {
        ReplyHiThere();
        Assert.Empty(_turns.OnTranscript(Heard("more", T0)));
    }
}

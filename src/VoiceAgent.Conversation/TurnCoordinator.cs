using VoiceAgent.Core.Protocol;
using Effects = System.Collections.Generic.IReadOnlyList<VoiceAgent.Conversation.TurnEffect>;

namespace VoiceAgent.Conversation;

/// <summary>Where the conversation is in its current turn.</summary>
internal enum TurnPhase
{
    /// <summary>No turn is running.</summary>
    Idle,

    /// <summary>The reply's text is still coming.</summary>
    Replying,

    /// <summary>The reply's text is complete; playback has not yet said it finished.</summary>
    Speaking,

    /// <summary>The user cut the reply off; waiting for playback's account of what was heard.</summary>
    Interrupted,
}

/// <summary>
/// Decides the course of the conversation's turns, one at a time: which turn is current, what its
/// reply has said so far, when it ends and what history keeps of it, and which input waits for it.
/// Input arriving during a turn starts the next one when it ends, so history stays in order.
/// Messages of a turn that is no longer current are stale and change nothing. Each input returns
/// the effects the ConversationActor carries out, in order; nothing here talks to actors.
/// While no turn runs, a pause of the user may start a draft reply (<see cref="PreemptiveDraft"/>).
/// </summary>
/// <param name="typingInterrupts">A typed line during a turn is a barge-in (<c>barge-in.enabled</c>).</param>
/// <param name="preemptiveReplies">Start a draft on a preliminary transcript (<c>preemptive-replies</c>).</param>
internal sealed partial class TurnCoordinator(string responderName, TimeProvider clock, bool typingInterrupts = true, bool preemptiveReplies = true)
{
    private readonly Queue<PendingInput> _pending = new();
    private TurnId _lastTurn = TurnId.None;
    private ActiveTurn? _turn;
    private PreemptiveDraft? _draft;
    // Heard while a turn ran (a draft then would miss that turn's reply): drafted when it ends.
    private TranscriptPreliminary? _waitingPreliminary;

    public TurnPhase Phase => _turn switch
    {
        null => TurnPhase.Idle,
        { Interrupted: true } => TurnPhase.Interrupted,
        { TextDone: true } => TurnPhase.Speaking,
        _ => TurnPhase.Replying,
    };

    public TurnId CurrentTurn => _turn?.Id ?? TurnId.None;

    private DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>The user's words start a turn, or wait for the current one. Typing while the agent
    /// speaks also interrupts it (a voice barge-in was decided by the recognizer before its transcript).</summary>
    public Effects OnTranscript(TranscriptFinal transcript)
    {
        _waitingPreliminary = null;
        if (_draft is not null)
        {
            if (_draft.Answers(transcript.Text)) return AdoptDraft(transcript);
            return [.. DiscardDraft(), .. StartOrQueue(transcript)];
        }
        if (transcript.Source != InputSource.Keyboard || !typingInterrupts || _turn is not { Interrupted: false, TypedOver: false } turn)
            return StartOrQueue(transcript);
        turn.TypedOver = true; // once: the barge-in comes back to this actor as a fact, a moment later
        return [new TurnEffect.PublishBargeIn(new BargeIn(turn.Id, InputSource.Keyboard, Now)), .. StartOrQueue(transcript)];
    }

    public Effects OnSay(Say say) => StartOrQueue(say);

    /// <summary>A reply's model wants a tool call: run it only while its turn may still act. A
    /// draft's call waits for the draft to be adopted.</summary>
    public Effects OnToolCallWanted(ToolCallWanted wanted, bool finishIfInterrupted)
    {
        if (_draft?.Id == wanted.Turn)
        {
            _draft.HeldCalls.Add((wanted, finishIfInterrupted));
            return [];
        }
        if (_turn?.Id != wanted.Turn || _turn.Interrupted) return [new TurnEffect.AnswerToolCall(wanted.Call.CallId, null)];
        _turn.Tools.Start(wanted.Call, finishIfInterrupted, Now);
        return [new TurnEffect.RunToolCall(wanted.Turn, wanted.Call)];
    }

    /// <summary>A tool answered. After an interruption only a call that finishes if interrupted is
    /// still waited for; the turn ends once the last of those has its result.</summary>
    public Effects OnToolCallAnswered(ToolCallAnswered answered)
    {
        if (_turn?.Id != answered.Turn || _turn.Tools.Answered(answered.Turn, answered.CallId, answered.Output, Now) is not { } completed) return [];
        var effects = new List<TurnEffect> { new TurnEffect.Publish(completed) };
        if (completed.IsError)
            effects.Add(new TurnEffect.Publish(new StatusNotice("conversation", $"tool {completed.Name} failed: {completed.Result}", NoticeLevel.Warning)));
        if (!_turn.Interrupted) effects.Add(new TurnEffect.AnswerToolCall(answered.CallId, answered.Output));
        else if (_turn.EndingWith is { } heard && !_turn.Tools.AnyRunning) EndTurn(effects, TurnOutcome.Interrupted, heard, interrupted: true);
        return effects;
    }

    /// <summary>An interrupt command acts as a barge-in by the user on the current turn.</summary>
    public Effects OnInterrupt()
    {
        if (_turn is null) return [];
        return [new TurnEffect.PublishBargeIn(new BargeIn(_turn.Id, InputSource.Command, Now))];
    }

    /// <summary>The reply stops now; the turn ends when playback reports exactly what was heard
    /// (PlaybackStopped carries the part of the current sentence that played, progress does not).</summary>
    public Effects OnBargeIn(BargeIn bargeIn)
    {
        if (_turn?.Id != bargeIn.Turn || _turn.Interrupted) return [];
        _turn.Interrupted = true;
        _turn.TextDone = true; // drop what the model still streams
        List<TurnEffect> effects = [new TurnEffect.StopReply(_turn.Id), new TurnEffect.WaitForStopReport(_turn.Id)];
        effects.AddRange(_turn.Tools.CancelRunning(_turn.Id, Now).Select(c => new TurnEffect.Publish(c)));
        return effects;
    }

    public Effects OnReplyDelta(ReplyDelta delta)
    {
        if (_draft?.Id == delta.Turn)
        {
            _draft.Hold(delta.Delta, Now);
            return [];
        }
        if (_turn?.Id != delta.Turn || _turn.TextDone) return [];
        _turn.Text.Append(delta.Delta);
        _turn.Latency.TextArrived(Now);
        return [new TurnEffect.Announce(new AgentText(delta.Turn, delta.Delta))];
    }

    public Effects OnReplyEnded(ReplyEnded ended)
    {
        if (_draft?.Id == ended.Turn)
        {
            _draft.Ended = ended;
            return [];
        }
        if (_turn?.Id != ended.Turn || _turn.TextDone) return [];
        _turn.TextDone = true;
        var effects = new List<TurnEffect>();
        // A model that answers nothing (say, all its tokens went to reasoning) would leave a
        // silent turn: tell the user instead.
        var error = ended.Error ?? (_turn.Text.Length == 0 && !_turn.Said ? "the model returned an empty reply" : null);
        if (error is not null)
        {
            _turn.Error = error;
            effects.Add(new TurnEffect.LogReplyFailure(error, ended.Cause));
            effects.Add(new TurnEffect.Publish(new StatusNotice("conversation", error, NoticeLevel.Error)));
        }
        effects.Add(new TurnEffect.Announce(new AgentTextCompleted(ended.Turn, _turn.Text.ToString())));
        // A failure before any text has nothing to play: the turn ends now, and whatever
        // playback later reports for it is stale.
        if (error is not null && _turn.Text.Length == 0) EndTurn(effects, TurnOutcome.Failed, "", interrupted: false);
        return effects;
    }

    public Effects OnPlaybackStarted(PlaybackStarted started)
    {
        if (_turn?.Id != started.Turn) return [];
        return _turn.Latency.AudioStarted(started.At) is { } latency ? [new TurnEffect.Publish(latency)] : [];
    }

    /// <summary>Keeps the latest account of what was heard, for an interruption that gets no better one.</summary>
    public void OnPlaybackProgress(PlaybackProgress progress)
    {
        if (_turn?.Id == progress.Turn) _turn.Heard = progress.HeardText;
    }

    public Effects OnPlaybackFinished(PlaybackFinished finished)
    {
        if (_turn?.Id != finished.Turn || !_turn.TextDone || _turn.Interrupted) return [];
        var failed = _turn.Error is not null;
        // A reply that failed midway was only heard as far as playback got.
        var heard = failed ? finished.HeardText : _turn.Text.ToString();
        return EndTurn([], failed ? TurnOutcome.Failed : TurnOutcome.Completed, heard, interrupted: false);
    }

    public Effects OnPlaybackStopped(PlaybackStopped stopped)
    {
        if (_turn?.Id != stopped.Turn || !_turn.Interrupted) return [];
        _turn.EndingWith = stopped.HeardText;
        return EndInterrupted();
    }

    /// <summary>Playback gave no exact account in time: the last progress report is what was heard.</summary>
    public Effects OnStopReportOverdue(StopReportOverdue overdue)
    {
        if (_turn?.Id != overdue.Turn || !_turn.Interrupted) return [];
        _turn.EndingWith ??= _turn.Heard;
        return EndInterrupted();
    }

    /// <summary>An interrupted turn is committed once what was heard is known and no tool that
    /// finishes if interrupted is still running (its result belongs in history before the next turn).</summary>
    private Effects EndInterrupted() =>
        _turn!.Tools.AnyRunning ? [] : EndTurn([], TurnOutcome.Interrupted, _turn.EndingWith!, interrupted: true);

    private Effects StartOrQueue(object input)
    {
        var pending = new PendingInput(input, Now);
        if (_turn is not null)
        {
            _pending.Enqueue(pending);
            return [];
        }
        var effects = new List<TurnEffect>();
        StartTurn(effects, pending);
        return effects;
    }

    private void StartTurn(List<TurnEffect> effects, PendingInput pending)
    {
        // The turn's input goes into history before anything a draft would answer.
        if (_draft is not null) effects.AddRange(DiscardDraft());
        _lastTurn = _lastTurn.Next();
        var (userText, startedBy, transcriptAt) = pending.Input switch
        {
            TranscriptFinal t => (t.Text, t.SpeechEndedAt, (DateTimeOffset?)pending.ReceivedAt),
            Say => ("", pending.ReceivedAt, null),
            _ => throw new ArgumentOutOfRangeException(nameof(pending), pending.Input, "a turn starts from a transcript or a Say"),
        };
        var say = pending.Input as Say;
        var turn = _turn = new ActiveTurn(_lastTurn, new TurnLatencyMeter(_lastTurn, startedBy, transcriptAt, modelReply: say is null))
        {
            Said = say is not null,
        };
        var responder = say is null ? responderName : "say";
        effects.Add(new TurnEffect.Announce(new AgentTurnStarted(turn.Id, userText, responder, Now)));
        if (say is not null)
        {
            effects.Add(new TurnEffect.SpeakGivenText(turn.Id, say.Text));
            return;
        }
        turn.Latency.ReplyRequested(Now);
        effects.Add(new TurnEffect.StreamReply(turn.Id, userText));
    }

    private List<TurnEffect> EndTurn(List<TurnEffect> effects, TurnOutcome outcome, string heard, bool interrupted)
    {
        var turn = _turn!;
        _turn = null;
        effects.Add(new TurnEffect.ReleaseReply(turn.Id));
        var exchanges = turn.Tools.Exchanges.ToList();
        if (exchanges.Count > 0) effects.Add(new TurnEffect.RecordToolCalls(exchanges));
        if (turn.Said) effects.Add(new TurnEffect.RecordSaid(heard));
        else if (outcome != TurnOutcome.Failed || heard.Length > 0) effects.Add(new TurnEffect.RecordReply(heard, interrupted));
        if (turn.Latency.TurnEnded() is { } latency) effects.Add(new TurnEffect.Publish(latency));
        effects.Add(new TurnEffect.Publish(new AgentTurnEnded(turn.Id, outcome, heard, turn.Error)));

        if (_pending.Count > 0)
        {
            StartTurn(effects, _pending.Dequeue());
            return effects;
        }
        if (_waitingPreliminary is { } preliminary)
        {
            _waitingPreliminary = null;
            StartDraft(effects, preliminary.Text);
        }
        effects.Add(new TurnEffect.BecameIdle());
        return effects;
    }
}

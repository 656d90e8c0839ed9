using Akka.Actor;
using Akka.Event;
using VoiceAgent.Pipeline;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Conversation;

/// <summary>
/// Runs one agent turn at a time: streams the reply from the <see cref="ConversationEngine"/> to
/// the TtsActor, ends the turn when playback has finished (or on a barge-in, keeping only what was
/// heard), and queues user input that arrives while a turn is still speaking. Extension actors
/// offer tools with <see cref="OfferTool"/>; the model's calls go back to them as
/// <see cref="ToolCallRequested"/>. The <see cref="TurnCoordinator"/> decides; this actor carries
/// its decisions out, with one behaviour per <see cref="TurnPhase"/>.
/// </summary>
public sealed class ConversationActor : ReceiveActor, IWithTimers
{
    /// <summary>What others publish that the conversation acts on: the user's words (and pauses, for
    /// preemptive replies), barge-ins
    /// (its own too: an interrupt is published and handled when it comes back), and what playback
    /// reports was heard. Commands (Say, Interrupt, NotifyWhenIdle, tools) are told to it.</summary>
    public static readonly IReadOnlyList<Type> Facts =
    [
        typeof(TranscriptFinal), typeof(TranscriptPreliminary), typeof(UserTurnContinued), typeof(BargeIn),
        typeof(PlaybackStarted), typeof(PlaybackProgress), typeof(PlaybackFinished), typeof(PlaybackStopped),
    ];

    private readonly ConversationEngine _engine;
    private readonly PipelineEvents _events;
    private readonly TimeSpan _toolTimeout;
    private readonly IChatWarmUp? _warmUp;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly TurnCoordinator _turns;
    private readonly ToolOffers _tools;
    private readonly IdleWaiters _idleWaiters = new();

    private TurnPhase _behaviour = TurnPhase.Idle;
    // A turn's reply and a draft may both be streaming (the draft's outlives a turn it follows).
    private readonly Dictionary<TurnId, CancellationTokenSource> _replies = [];
    // Which streaming task waits for each tool call's output.
    private readonly Dictionary<string, (TurnId Turn, IActorRef Asker)> _toolAskers = new(StringComparer.Ordinal);

    /// <param name="typingInterrupts">A typed line during a turn interrupts it (<c>barge-in.enabled</c>).</param>
    /// <param name="preemptiveReplies">Draft a reply while the user pauses (<c>preemptive-replies</c>).</param>
    public ConversationActor(ConversationEngine engine, PipelineEvents? events = null, TimeSpan? toolTimeout = null, IChatWarmUp? warmUp = null,
        bool typingInterrupts = true, bool preemptiveReplies = true)
    {
        _engine = engine;
        _warmUp = warmUp;
        _events = events ?? new PipelineEvents(Context.System);
        _toolTimeout = toolTimeout ?? TimeSpan.FromSeconds(10);
        _turns = new TurnCoordinator(engine.ResponderName, _events.Clock, typingInterrupts, preemptiveReplies);
        _tools = new ToolOffers(engine);
        Idle();
    }

    /// <summary>How long an interrupted turn waits for playback's exact account of what was heard
    /// before it settles for the last progress report (no playback running, say).</summary>
    public static readonly TimeSpan StopReportWait = TimeSpan.FromMilliseconds(300);

    private const string StopReportOverdueTimer = "stop-report-overdue";

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, Facts);
        _events.Publish(new StatusNotice("conversation", $"replies from the {_engine.ResponderName}"));
        _warmUp?.WarmUpAsync(CancellationToken.None).PipeTo(Self, success: result => new WarmUpDone(result));
    }

    protected override void PostStop()
    {
        foreach (var reply in _replies.Values) reply.Cancel();
        Context.System.EventStream.Unsubscribe(Self);
    }

    private void Idle()
    {
        Receive<NotifyWhenIdle>(_ => Sender.Tell(new ConversationIdle(), Self));
        Always();
        IgnoreTheRest();
    }

    private void Replying()
    {
        DuringTurn();
        Receive<BargeIn>(m => Carry(_turns.OnBargeIn(m)));
        IgnoreTheRest();
    }

    private void Speaking()
    {
        DuringTurn();
        Receive<PlaybackFinished>(m => Carry(_turns.OnPlaybackFinished(m)));
        Receive<BargeIn>(m => Carry(_turns.OnBargeIn(m)));
        IgnoreTheRest();
    }

    private void Interrupted()
    {
        DuringTurn();
        Receive<PlaybackStopped>(m => Carry(_turns.OnPlaybackStopped(m)));
        Receive<StopReportOverdue>(m => Carry(_turns.OnStopReportOverdue(m)));
        IgnoreTheRest();
    }

    /// <summary>What every phase of a running turn handles alike.</summary>
    private void DuringTurn()
    {
        Receive<NotifyWhenIdle>(_ => _idleWaiters.Add(Sender));
        Receive<Interrupt>(_ => Carry(_turns.OnInterrupt()));
        Receive<PlaybackStarted>(m => Carry(_turns.OnPlaybackStarted(m)));
        Receive<PlaybackProgress>(_turns.OnPlaybackProgress);
        Always();
    }

    /// <summary>What the actor handles whatever the turn is doing; new input starts a turn or waits.</summary>
    private void Always()
    {
        Receive<TranscriptFinal>(m => Carry(_turns.OnTranscript(m)));
        Receive<Say>(m => Carry(_turns.OnSay(m)));
        Receive<TranscriptPreliminary>(m => Carry(_turns.OnPreliminary(m)));
        Receive<UserTurnContinued>(_ => Carry(_turns.OnUserTurnContinued()));
        // A draft streams while no turn runs; the coordinator knows whose text is current.
        Receive<ReplyDelta>(m => Carry(_turns.OnReplyDelta(m)));
        Receive<ReplyEnded>(m => Carry(_turns.OnReplyEnded(m)));
        Receive<ToolCallWanted>(m =>
        {
            _toolAskers[m.Call.CallId] = (m.Turn, Sender);
            Carry(_turns.OnToolCallWanted(m, _tools.FinishesIfInterrupted(m.Call.Name)));
        });
        Receive<ToolCallAnswered>(m => Carry(_turns.OnToolCallAnswered(m)));
        Receive<OfferTool>(OnOfferTool);
        Receive<WithdrawTool>(m => _tools.Withdraw(m.Name, Sender));
        Receive<Terminated>(m => _tools.WithdrawAllOf(m.ActorRef));
        Receive<WarmUpDone>(m =>
        {
            if (m.Result.Note is not null) _events.Publish(new StatusNotice("conversation", m.Result.Note));
            if (m.Result.Problem is not null) _events.Publish(new StatusNotice("conversation", m.Result.Problem, NoticeLevel.Error));
        });
    }

    /// <summary>Turn messages that mean nothing in this phase: stale, or not yet due.</summary>
    private void IgnoreTheRest() => Receive<object>(IsTurnMessage, _ => { });

    private static bool IsTurnMessage(object message) => message is Interrupt or BargeIn
        or PlaybackStarted or PlaybackProgress or PlaybackFinished or PlaybackStopped or StopReportOverdue;

    private void Carry(IReadOnlyList<TurnEffect> effects)
    {
        foreach (var effect in effects) Carry(effect);
        if (_turns.Phase == _behaviour) return;
        _behaviour = _turns.Phase;
        Become(_behaviour switch
        {
            TurnPhase.Idle => Idle,
            TurnPhase.Replying => Replying,
            TurnPhase.Speaking => Speaking,
            _ => Interrupted,
        });
    }

    private void Carry(TurnEffect effect)
    {
        switch (effect)
        {
            // The TtsActor speaks the turn's text as it is published, like every observer sees it.
            case TurnEffect.Announce m: _events.Publish(m.Event); break;
            case TurnEffect.Publish m: _events.Publish(m.Event); break;
            case TurnEffect.StreamReply m: StreamReply(m.Turn, m.UserText, draft: false); break;
            case TurnEffect.StreamDraft m: StreamReply(m.Turn, m.UserText, draft: true); break;
            case TurnEffect.AdoptDraft m: _engine.AdoptDraft(m.UserText); break;
            case TurnEffect.RunToolCall m: RunToolCall(m.Turn, m.Call); break;
            case TurnEffect.AnswerToolCall m:
                if (_toolAskers.Remove(m.CallId, out var asker)) asker.Asker.Tell(new ToolCallAnswer(m.Output));
                break;
            case TurnEffect.RecordToolCalls m: _engine.RecordToolCalls(m.Exchanges); break;
            case TurnEffect.SpeakGivenText m:
                Self.Tell(new ReplyDelta(m.Turn, m.Text));
                Self.Tell(new ReplyEnded(m.Turn, null));
                break;
            case TurnEffect.StopReply m: _replies.GetValueOrDefault(m.Turn)?.Cancel(); break;
            case TurnEffect.WaitForStopReport m: Timers.StartSingleTimer(StopReportOverdueTimer, new StopReportOverdue(m.Turn), StopReportWait); break;
            case TurnEffect.PublishBargeIn m: _events.Publish(m.BargeIn); break;
            // The user sees the StatusNotice; the log (hidden at the default level) keeps the details.
            case TurnEffect.LogReplyFailure m: _log.Info("Reply failed: {0}", (object?)m.Cause ?? m.Error); break;
            case TurnEffect.ReleaseReply m: ReleaseReply(m.Turn); break;
            case TurnEffect.RecordReply m: _engine.RecordReply(m.HeardText, m.Interrupted); break;
            case TurnEffect.RecordSaid m: _engine.RecordSaid(m.HeardText); break;
            case TurnEffect.BecameIdle: _idleWaiters.ReleaseAll(Self); break;
            default: throw new ArgumentOutOfRangeException(nameof(effect), effect, "no way to carry this out");
        }
    }

    /// <summary>Streams on a task; every piece comes back to this actor as a message.</summary>
    private void StreamReply(TurnId turn, string userText, bool draft)
    {
        var cancellation = _replies[turn] = new CancellationTokenSource();
        var hooks = new TurnHooks(turn, Self, _events);
        // Asked for here, on the actor's thread: the engine snapshots history and tools now.
        var reply = draft ? _engine.DraftReplyAsync(userText, cancellation.Token, hooks) : _engine.ReplyAsync(userText, cancellation.Token, hooks);
        _ = MailboxPump.Start(reply, Self, delta => new ReplyDelta(turn, delta), end => ReplyEnd(turn, end), cancellation.Token);
    }

    private static ReplyEnded? ReplyEnd(TurnId turn, PumpEnd end) => end switch
    {
        PumpEnd.CancelledEnd => null, // interrupted: the barge-in already stopped the turn
        PumpEnd.Failed { Error: ChatReplyException e } => new ReplyEnded(turn, e.Message),
        // Unexpected: one line for the user, the rest for the log.
        PumpEnd.Failed f => new ReplyEnded(turn, $"the reply failed: {f.Error.GetBaseException().Message}", f.Error),
        _ => new ReplyEnded(turn, null),
    };

    private void ReleaseReply(TurnId turn)
    {
        if (_replies.Remove(turn, out var cancellation)) cancellation.Dispose();
        // Calls of an ended turn that nobody answered: their streaming task was cancelled.
        foreach (var (callId, _) in _toolAskers.Where(a => a.Value.Turn == turn).ToList()) _toolAskers.Remove(callId);
    }

    /// <summary>Asks the offering actor; the answer (or the lack of one in time) comes back as a message.</summary>
    private void RunToolCall(TurnId turn, ToolCall call)
    {
        var request = new ToolCallRequested(turn, call.CallId, call.Name, call.ArgumentsJson);
        _events.Publish(request);
        if (!_tools.Offerers.TryGetValue(call.Name, out var offerer))
        {
            Self.Tell(new ToolCallAnswered(turn, call.CallId, new ToolOutput($"there is no tool named {call.Name}", IsError: true)));
            return;
        }
        var timeout = _toolTimeout;
        offerer.Ask<ToolResult>(request, timeout).PipeTo(Self,
            success: result => new ToolCallAnswered(turn, call.CallId, new ToolOutput(result.Result, result.IsError)),
            failure: error => new ToolCallAnswered(turn, call.CallId, new ToolOutput(error is AskTimeoutException
                ? $"the tool {call.Name} did not answer within {timeout.TotalSeconds:0.#} s"
                : $"the tool {call.Name} failed: {error.GetBaseException().Message}", IsError: true)));
    }

    private void OnOfferTool(OfferTool offer)
    {
        var outcome = _tools.Offer(offer, Sender);
        if (outcome.Accepted) Context.Watch(Sender);
        if (outcome.Notice is not null) _events.Publish(outcome.Notice);
        Sender.Tell(outcome.Answer);
    }

    private sealed record WarmUpDone(WarmUpResult Result);
}

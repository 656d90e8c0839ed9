using System.Collections.Immutable;
using System.Text;
using Akka.Actor;
using Akka.Event;
using VoiceAgent.Pipeline;
using VoiceAgent.Protocol;

namespace VoiceAgent.Conversation;

/// <summary>
/// Runs one agent turn at a time: streams the reply from the <see cref="ConversationEngine"/> to
/// the TtsActor, ends the turn when playback has finished (or on a barge-in, keeping only what was
/// heard), and queues user input that arrives while a turn is still speaking. Extension actors
/// offer tools with <see cref="OfferTool"/>; the model's calls go back to them as
/// <see cref="ToolCallRequested"/>.
/// </summary>
public sealed class ConversationActor : ReceiveActor, IWithTimers
{
    private readonly ConversationEngine _engine;
    private readonly PipelineLinks _links;
    private readonly TimeSpan _toolTimeout;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Queue<PendingInput> _pending = new();
    private readonly List<IActorRef> _idleWaiters = [];

    private ImmutableDictionary<string, IActorRef> _toolOfferers = ImmutableDictionary<string, IActorRef>.Empty;
    private TurnId _lastTurn = TurnId.None;
    private ActiveTurn? _turn;

    private readonly IChatWarmUp? _warmUp;
    private bool _toolsUnsupportedSaid;

    public ConversationActor(ConversationEngine engine, PipelineLinks? links = null, TimeSpan? toolTimeout = null, IChatWarmUp? warmUp = null)
    {
        _engine = engine;
        _warmUp = warmUp;
        _links = links ?? new PipelineLinks(Context.System);
        _toolTimeout = toolTimeout ?? TimeSpan.FromSeconds(10);

        Receive<TranscriptFinal>(m => StartOrQueue(m));
        Receive<Say>(m => StartOrQueue(m));
        Receive<Interrupt>(OnInterrupt);
        Receive<BargeIn>(OnBargeIn);
        Receive<NotifyWhenIdle>(_ =>
        {
            if (_turn is null && _pending.Count == 0) Sender.Tell(new ConversationIdle());
            else _idleWaiters.Add(Sender);
        });

        Receive<OfferTool>(OnOfferTool);
        Receive<WithdrawTool>(OnWithdrawTool);
        Receive<Terminated>(m => WithdrawAllOf(m.ActorRef));

        Receive<WarmUpDone>(m =>
        {
            if (m.Result.Note is not null) _links.Publish(new StatusNotice("conversation", m.Result.Note));
            if (m.Result.Problem is not null) _links.Publish(new StatusNotice("conversation", m.Result.Problem, NoticeLevel.Error));
        });

        Receive<ReplyDelta>(OnReplyDelta);
        Receive<ReplyEnded>(OnReplyEnded);

        Receive<PlaybackStarted>(OnPlaybackStarted);
        Receive<PlaybackProgress>(m =>
        {
            if (_turn?.Id == m.Turn) _turn.Heard = m.HeardText;
        });
        Receive<PlaybackFinished>(OnPlaybackFinished);
        Receive<PlaybackStopped>(m =>
        {
            if (_turn?.Id == m.Turn && _turn.Interrupted) EndTurn(TurnOutcome.Interrupted, m.HeardText, interrupted: true);
        });
        Receive<StopReportOverdue>(m =>
        {
            if (_turn?.Id == m.Turn && _turn.Interrupted) EndTurn(TurnOutcome.Interrupted, _turn.Heard, interrupted: true);
        });
    }

    /// <summary>How long an interrupted turn waits for playback's exact account of what was heard
    /// before it settles for the last progress report (no playback running, say).</summary>
    public static readonly TimeSpan StopReportWait = TimeSpan.FromMilliseconds(300);

    private const string StopReportOverdueTimer = "stop-report-overdue";

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        // Playback reports what was heard; those are events, not commands, so subscribe.
        Context.System.EventStream.Subscribe(Self, typeof(PlaybackStarted));
        Context.System.EventStream.Subscribe(Self, typeof(PlaybackProgress));
        Context.System.EventStream.Subscribe(Self, typeof(PlaybackFinished));
        Context.System.EventStream.Subscribe(Self, typeof(PlaybackStopped));
        _links.Publish(new StatusNotice("conversation", $"replies from the {_engine.ResponderName}"));
        _warmUp?.WarmUpAsync(CancellationToken.None).PipeTo(Self, success: result => new WarmUpDone(result));
    }

    protected override void PostStop()
    {
        _turn?.Cancellation.Cancel();
        Context.System.EventStream.Unsubscribe(Self);
    }

    private void StartOrQueue(object input)
    {
        var pending = new PendingInput(input, _links.Now);
        if (_turn is not null)
        {
            _pending.Enqueue(pending);
            return;
        }
        StartTurn(pending);
    }

    private void StartTurn(PendingInput pending)
    {
        _lastTurn = _lastTurn.Next();
        var input = pending.Input;
        var (userText, startedBy, heardAt) = input switch
        {
            TranscriptFinal t => (t.Text, t.SpeechEndedAt, (DateTimeOffset?)pending.ReceivedAt),
            Say => ("", pending.ReceivedAt, null),
            _ => throw new ArgumentOutOfRangeException(nameof(input)),
        };
        var turn = new ActiveTurn(_lastTurn, startedBy) { TranscriptAt = heardAt };
        _turn = turn;

        var responder = input is Say ? "say" : _engine.ResponderName;
        Announce(new AgentTurnStarted(turn.Id, userText, responder, _links.Now));

        if (input is Say say)
        {
            Self.Tell(new ReplyDelta(turn.Id, say.Text));
            Self.Tell(new ReplyEnded(turn.Id, null));
            turn.Said = true;
            return;
        }
        StreamReply(turn, userText);
    }

    /// <summary>Streams on a task; every piece comes back to this actor as a message.</summary>
    private void StreamReply(ActiveTurn turn, string userText)
    {
        var self = Self;
        var token = turn.Cancellation.Token;
        var hooks = new TurnHooks(turn.Id, _toolOfferers, _links, _toolTimeout);
        turn.RequestedAt = _links.Now;
        // Asked for here, on the actor's thread: the engine snapshots history and tools now.
        var reply = _engine.ReplyAsync(userText, token, hooks);
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var delta in reply.WithCancellation(token))
                    self.Tell(new ReplyDelta(turn.Id, delta));
                self.Tell(new ReplyEnded(turn.Id, null));
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // Interrupted: the barge-in already ended the turn.
            }
            catch (ChatReplyException e)
            {
                self.Tell(new ReplyEnded(turn.Id, e.Message));
            }
            catch (Exception e)
            {
                // Unexpected: one line for the user, the rest for the log.
                self.Tell(new ReplyEnded(turn.Id, $"the reply failed: {e.GetBaseException().Message}", e));
            }
        }, CancellationToken.None);
    }

    private void OnReplyDelta(ReplyDelta m)
    {
        if (_turn?.Id != m.Turn || _turn.TextDone) return; // stale: from an interrupted turn
        _turn.Text.Append(m.Delta);
        _turn.FirstTextAt ??= _links.Now;
        Announce(new AgentText(m.Turn, m.Delta));
    }

    private void OnReplyEnded(ReplyEnded m)
    {
        if (_turn?.Id != m.Turn || _turn.TextDone) return;
        _turn.TextDone = true;
        // A model that answers nothing (say, all its tokens went to reasoning) would leave a
        // silent turn: tell the user instead.
        if (m.Error is null && _turn.Text.Length == 0 && !_turn.Said) m = m with { Error = "the model returned an empty reply" };
        if (m.Error is not null)
        {
            _turn.Error = m.Error;
            // The user sees the StatusNotice; the log (hidden at the default level) keeps the details.
            if (m.Cause is not null) _log.Info("Reply failed: {0}", m.Cause);
            else _log.Info("Reply failed: {0}", m.Error);
            _links.Publish(new StatusNotice("conversation", m.Error, NoticeLevel.Error));
        }
        Announce(new AgentTextCompleted(m.Turn, _turn.Text.ToString()));
        // A failure before any text has nothing to play: the turn ends now, and whatever
        // playback later reports for it is stale.
        if (m.Error is not null && _turn.Text.Length == 0) EndTurn(TurnOutcome.Failed, "", interrupted: false);
    }

    private void OnPlaybackStarted(PlaybackStarted m)
    {
        if (_turn?.Id != m.Turn || _turn.FirstAudioAt is not null) return;
        _turn.FirstAudioAt = m.At;
        PublishLatency(_turn);
    }

    private void OnPlaybackFinished(PlaybackFinished m)
    {
        if (_turn?.Id != m.Turn || !_turn.TextDone || _turn.Interrupted) return;
        var outcome = _turn.Error is null ? TurnOutcome.Completed : TurnOutcome.Failed;
        var heard = _turn.Error is null ? _turn.Text.ToString() : m.HeardText;
        EndTurn(outcome, heard, interrupted: false);
    }

    private void OnInterrupt(Interrupt m)
    {
        if (_turn is null) return;
        _links.BroadcastBargeIn(new BargeIn(_turn.Id, InputSource.Command, _links.Now), Self);
    }

    /// <summary>The reply stops now; the turn ends when playback reports exactly what was heard
    /// (PlaybackStopped carries the part of the current sentence that played, progress does not).
    /// Input arriving meanwhile waits, so history stays in order.</summary>
    private void OnBargeIn(BargeIn m)
    {
        if (_turn?.Id != m.Turn || _turn.Interrupted) return;
        _turn.Interrupted = true;
        _turn.TextDone = true; // drop what the model still streams
        _turn.Cancellation.Cancel();
        Timers.StartSingleTimer(StopReportOverdueTimer, new StopReportOverdue(m.Turn), StopReportWait);
    }

    private void OnOfferTool(OfferTool m)
    {
        var (tool, problem) = Sender.IsNobody()
            ? (null, $"tool '{m.Name}' was offered without a sender; tell OfferTool from the actor that answers the calls")
            : ToolDefinition.Parse(m.Name, m.Description, m.ParametersSchema);
        if (tool is null)
        {
            _links.Publish(new StatusNotice("conversation", $"tool offer refused: {problem}", NoticeLevel.Warning));
            Sender.Tell(new ToolOfferRejected(m.Name, problem!));
            return;
        }
        _engine.OfferTool(tool);
        _toolOfferers = _toolOfferers.SetItem(tool.Name, Sender);
        Context.Watch(Sender);
        if (_engine.ToolsUnsupported is null) _links.Publish(new StatusNotice("conversation", $"tool available: {tool.Name}"));
        else if (!_toolsUnsupportedSaid) _links.Publish(new StatusNotice("conversation", _engine.ToolsUnsupported, NoticeLevel.Warning));
        _toolsUnsupportedSaid = true;
        Sender.Tell(new ToolOfferAccepted(tool.Name));
    }

    private void OnWithdrawTool(WithdrawTool m)
    {
        if (!_toolOfferers.TryGetValue(m.Name, out var offerer) || !offerer.Equals(Sender)) return;
        _toolOfferers = _toolOfferers.Remove(m.Name);
        _engine.WithdrawTool(m.Name);
    }

    private void WithdrawAllOf(IActorRef offerer)
    {
        foreach (var (name, _) in _toolOfferers.Where(t => t.Value.Equals(offerer)).ToList())
        {
            _toolOfferers = _toolOfferers.Remove(name);
            _engine.WithdrawTool(name);
        }
    }

    private void EndTurn(TurnOutcome outcome, string heard, bool interrupted)
    {
        var turn = _turn!;
        _turn = null;
        turn.Cancellation.Dispose();
        if (turn.Said) _engine.RecordSaid(heard);
        else if (outcome != TurnOutcome.Failed || heard.Length > 0) _engine.RecordReply(heard, interrupted);
        if (!turn.LatencyPublished) PublishLatency(turn);
        _links.Publish(new AgentTurnEnded(turn.Id, outcome, heard, turn.Error));

        if (_pending.Count > 0)
        {
            StartTurn(_pending.Dequeue());
            return;
        }
        foreach (var waiter in _idleWaiters) waiter.Tell(new ConversationIdle());
        _idleWaiters.Clear();
    }

    private void PublishLatency(ActiveTurn turn)
    {
        turn.LatencyPublished = true;
        _links.Publish(new TurnLatency(turn.Id, turn.FirstTextAt - turn.StartedBy, turn.FirstAudioAt - turn.StartedBy)
        {
            Transcript = turn.TranscriptAt - turn.StartedBy,
            ModelFirstToken = turn.Said ? null : turn.FirstTextAt - turn.RequestedAt,
            TextToAudio = turn.FirstAudioAt - turn.FirstTextAt,
        });
    }

    /// <summary>Turn messages go to the TtsActor (which speaks them) and to every observer.</summary>
    private void Announce(ITurnEvent message)
    {
        _links.Tell<TtsActorKey>(message, Self);
        _links.Publish(message);
    }

    private sealed record WarmUpDone(WarmUpResult Result);

    private sealed record StopReportOverdue(TurnId Turn);

    private sealed record PendingInput(object Input, DateTimeOffset ReceivedAt);

    private sealed record ReplyDelta(TurnId Turn, string Delta);

    private sealed record ReplyEnded(TurnId Turn, string? Error, Exception? Cause = null);

    private sealed class ActiveTurn(TurnId id, DateTimeOffset startedBy)
    {
        public TurnId Id { get; } = id;
        /// <summary>When the user stopped speaking (or typed the line): latency counts from here.</summary>
        public DateTimeOffset StartedBy { get; } = startedBy;
        public CancellationTokenSource Cancellation { get; } = new();
        public StringBuilder Text { get; } = new();
        public string Heard { get; set; } = "";
        public bool TextDone { get; set; }
        public bool Interrupted { get; set; }
        public bool Said { get; set; }
        public string? Error { get; set; }
        public DateTimeOffset? TranscriptAt { get; init; }
        public DateTimeOffset? RequestedAt { get; set; }
        public DateTimeOffset? FirstTextAt { get; set; }
        public DateTimeOffset? FirstAudioAt { get; set; }
        public bool LatencyPublished { get; set; }
    }
}

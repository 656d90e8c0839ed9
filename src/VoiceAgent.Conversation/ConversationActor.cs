using System.Text;
using Akka.Actor;
using Akka.Event;
using VoiceAgent.Pipeline;
using VoiceAgent.Protocol;

namespace VoiceAgent.Conversation;

/// <summary>
/// Runs one agent turn at a time: streams the reply from the <see cref="ConversationEngine"/> to
/// the TtsActor, ends the turn when playback has finished (or on a barge-in, keeping only what was
/// heard), and queues user input that arrives while a turn is still speaking.
/// </summary>
public sealed class ConversationActor : ReceiveActor
{
    private readonly ConversationEngine _engine;
    private readonly PipelineLinks _links;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Queue<object> _pending = new();
    private readonly List<IActorRef> _idleWaiters = [];

    private TurnId _lastTurn = TurnId.None;
    private ActiveTurn? _turn;

    public ConversationActor(ConversationEngine engine, PipelineLinks? links = null)
    {
        _engine = engine;
        _links = links ?? new PipelineLinks(Context.System);

        Receive<TranscriptFinal>(m => StartOrQueue(m));
        Receive<Say>(m => StartOrQueue(m));
        Receive<Interrupt>(OnInterrupt);
        Receive<BargeIn>(OnBargeIn);
        Receive<NotifyWhenIdle>(_ =>
        {
            if (_turn is null && _pending.Count == 0) Sender.Tell(new ConversationIdle());
            else _idleWaiters.Add(Sender);
        });

        Receive<ReplyDelta>(OnReplyDelta);
        Receive<ReplyEnded>(OnReplyEnded);

        Receive<PlaybackStarted>(OnPlaybackStarted);
        Receive<PlaybackProgress>(m =>
        {
            if (_turn?.Id == m.Turn) _turn.Heard = m.HeardText;
        });
        Receive<PlaybackFinished>(OnPlaybackFinished);
    }

    protected override void PreStart()
    {
        // Playback reports what was heard; those are events, not commands, so subscribe.
        Context.System.EventStream.Subscribe(Self, typeof(PlaybackStarted));
        Context.System.EventStream.Subscribe(Self, typeof(PlaybackProgress));
        Context.System.EventStream.Subscribe(Self, typeof(PlaybackFinished));
        _links.Publish(new StatusNotice("conversation", $"replies from the {_engine.ResponderName}"));
    }

    protected override void PostStop()
    {
        _turn?.Cancellation.Cancel();
        Context.System.EventStream.Unsubscribe(Self);
    }

    private void StartOrQueue(object input)
    {
        if (_turn is not null)
        {
            _pending.Enqueue(input);
            return;
        }
        StartTurn(input);
    }

    private void StartTurn(object input)
    {
        _lastTurn = _lastTurn.Next();
        var (userText, startedBy) = input switch
        {
            TranscriptFinal t => (t.Text, t.SpeechEndedAt),
            Say s => ("", _links.Now),
            _ => throw new ArgumentOutOfRangeException(nameof(input)),
        };
        var turn = new ActiveTurn(_lastTurn, startedBy);
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
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var delta in _engine.ReplyAsync(userText, token))
                    self.Tell(new ReplyDelta(turn.Id, delta));
                self.Tell(new ReplyEnded(turn.Id, null));
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // Interrupted: the barge-in already ended the turn.
            }
            catch (Exception e)
            {
                self.Tell(new ReplyEnded(turn.Id, e.Message));
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
        if (m.Error is not null)
        {
            _turn.Error = m.Error;
            _log.Warning("Reply failed: {0}", m.Error);
            _links.Publish(new StatusNotice("conversation", $"the reply failed: {m.Error}", NoticeLevel.Error));
        }
        Announce(new AgentTextCompleted(m.Turn, _turn.Text.ToString()));
    }

    private void OnPlaybackStarted(PlaybackStarted m)
    {
        if (_turn?.Id != m.Turn || _turn.FirstAudioAt is not null) return;
        _turn.FirstAudioAt = _links.Now;
        _links.Publish(new TurnLatency(m.Turn, _turn.FirstTextAt - _turn.StartedBy, _turn.FirstAudioAt - _turn.StartedBy));
    }

    private void OnPlaybackFinished(PlaybackFinished m)
    {
        if (_turn?.Id != m.Turn || !_turn.TextDone) return;
        var outcome = _turn.Error is null ? TurnOutcome.Completed : TurnOutcome.Failed;
        var heard = _turn.Error is null ? _turn.Text.ToString() : m.HeardText;
        EndTurn(outcome, heard, interrupted: false);
    }

    private void OnInterrupt(Interrupt m)
    {
        if (_turn is null) return;
        _links.BroadcastBargeIn(new BargeIn(_turn.Id, InputSource.Command, _links.Now), Self);
    }

    private void OnBargeIn(BargeIn m)
    {
        if (_turn?.Id != m.Turn) return;
        _turn.Cancellation.Cancel();
        EndTurn(TurnOutcome.Interrupted, _turn.Heard, interrupted: true);
    }

    private void EndTurn(TurnOutcome outcome, string heard, bool interrupted)
    {
        var turn = _turn!;
        _turn = null;
        turn.Cancellation.Dispose();
        if (turn.Said) _engine.RecordSaid(heard);
        else _engine.RecordReply(heard, interrupted);
        _links.Publish(new AgentTurnEnded(turn.Id, outcome, heard, turn.Error));

        if (_pending.Count > 0)
        {
            StartTurn(_pending.Dequeue());
            return;
        }
        foreach (var waiter in _idleWaiters) waiter.Tell(new ConversationIdle());
        _idleWaiters.Clear();
    }

    /// <summary>Turn messages go to the TtsActor (which speaks them) and to every observer.</summary>
    private void Announce(ITurnEvent message)
    {
        _links.Tell<TtsActorKey>(message, Self);
        _links.Publish(message);
    }

    private sealed record ReplyDelta(TurnId Turn, string Delta);

    private sealed record ReplyEnded(TurnId Turn, string? Error);

    private sealed class ActiveTurn(TurnId id, DateTimeOffset startedBy)
    {
        public TurnId Id { get; } = id;
        public DateTimeOffset StartedBy { get; } = startedBy;
        public CancellationTokenSource Cancellation { get; } = new();
        public StringBuilder Text { get; } = new();
        public string Heard { get; set; } = "";
        public bool TextDone { get; set; }
        public bool Said { get; set; }
        public string? Error { get; set; }
        public DateTimeOffset? FirstTextAt { get; set; }
        public DateTimeOffset? FirstAudioAt { get; set; }
    }
}

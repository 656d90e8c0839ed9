using Akka.Actor;
using Akka.Event;
using VoiceAgent.Pipeline;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Speech;

/// <summary>
/// Speaks agent turns: adapts the conversation's text messages to an <see cref="ISpeechSynthesizer"/>
/// stream per turn and forwards the audio to the PlaybackActor as <see cref="AudioChunk"/>s.
/// Engine output comes back to this actor first, so everything of an interrupted or finished
/// turn is dropped here, whatever the engine still delivers. What each turn is at lives in
/// <see cref="SpeechTurns"/>; this actor only carries messages to and from it.
/// </summary>
public sealed class TtsActor : ReceiveActor
{
    /// <summary>What others publish that the TTS acts on: the conversation's turns and their text,
    /// barge-ins, and the first hints that a turn is coming.</summary>
    public static readonly IReadOnlyList<Type> Facts =
    [
        typeof(AgentTurnStarted), typeof(AgentText), typeof(AgentTextCompleted), typeof(BargeIn),
        typeof(UserSpeechStarted), typeof(TranscriptPreliminary), typeof(TranscriptFinal),
    ];

    private readonly ISpeechSynthesizer _synthesizer;
    private readonly IActorRef _playback;
    private readonly BargeInPolicy _policy;
    private readonly PipelineEvents _events;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly SpeechTurns _turns = new();

    /// <param name="playback">Receives the audio (<see cref="AudioChunk"/>s).</param>
    public TtsActor(ISpeechSynthesizer synthesizer, BargeInPolicy policy, IActorRef playback, PipelineEvents? events = null)
    {
        _synthesizer = synthesizer;
        _playback = playback;
        _policy = policy;
        _events = events ?? new PipelineEvents(Context.System);

        Receive<AgentTurnStarted>(m => Start(m.Turn));
        Receive<AgentText>(OnText);
        Receive<AgentTextCompleted>(OnTextCompleted);
        Receive<BargeIn>(m => Interrupt(m.Turn));

        Receive<StreamOpened>(OnStreamOpened);
        Receive<StreamEvent>(OnStreamEvent);
        Receive<StreamEnded>(OnStreamEnded);

        // The user speaking is the earliest hint that a turn is coming: get a session ready.
        Receive<UserSpeechStarted>(_ => _synthesizer.WarmUp());
        Receive<TranscriptPreliminary>(_ => _synthesizer.WarmUp());
        Receive<TranscriptFinal>(_ => _synthesizer.WarmUp());
    }

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, Facts);
        _events.Publish(new StatusNotice("tts", $"voice: {_synthesizer.Description}"));
    }

    protected override void PostStop()
    {
        Context.System.EventStream.Unsubscribe(Self);
        _turns.CloseAll();
        // The synthesizer outlives a restart of this actor; its owner (the host) disposes it.
    }

    private SpeechTurn? Start(TurnId turn)
    {
        var state = _turns.Start(turn, out var started);
        if (state is null || !started) return state;

        var self = Self;
        _synthesizer.OpenAsync(turn, state.Cancellation.Token).ContinueWith(
            t => t.IsCompletedSuccessfully
                ? new StreamOpened(turn, t.Result, null)
                : new StreamOpened(turn, null, SpeechSynthesisException.Describe(t.Exception?.GetBaseException(), "could not open a TTS session")),
            TaskScheduler.Default).PipeTo(self);
        return state;
    }

    private void OnText(AgentText m)
    {
        var state = Start(m.Turn);
        if (state is null || m.Delta.Length == 0 || state.HoldBack(m.Delta)) return;
        Send(state, m.Delta);
    }

    private void OnTextCompleted(AgentTextCompleted m)
    {
        var state = Start(m.Turn);
        if (state is null) return;
        state.TextCompleted = true;
        if (state.Stream is not null) Observe(state.Stream.CompleteAsync(state.Cancellation.Token));
    }

    private void Interrupt(TurnId turn)
    {
        var state = _turns.Interrupt(turn);
        if (state is null) return; // a barge-in before the turn reached us: it is never spoken
        var method = _policy == BargeInPolicy.Force ? "force" : "reconnect";
        // Force: the server stops synthesis, then Finish closes the socket. Reconnect: Finish
        // closes the socket at once. Still connecting: Finish abandons the session.
        if (state.Stream is not null && _policy == BargeInPolicy.Force)
            Observe(state.Stream.InterruptAsync(CancellationToken.None));
        _events.Publish(new SpeechInterrupted(turn, method, _events.Now));
        // No more audio will come for the turn: say so now, the reader's end is dropped as stale.
        Finish(state, error: null);
    }

    private void OnStreamOpened(StreamOpened m)
    {
        var state = _turns.Speaking(m.Turn);
        if (state is null)
        {
            if (m.Stream is not null) Observe(m.Stream.DisposeAsync().AsTask());
            return;
        }
        if (m.Stream is null)
        {
            Finish(state, m.Error ?? "could not open a TTS session");
            return;
        }
        foreach (var delta in state.Attach(m.Stream)) Send(state, delta);
        if (state.TextCompleted) Observe(m.Stream.CompleteAsync(state.Cancellation.Token));
        StartReading(m.Turn, m.Stream, state.Cancellation.Token);
    }

    private void StartReading(TurnId turn, ISpeechStream stream, CancellationToken ct) =>
        _ = MailboxPump.Start(stream.ReadAsync(ct), Self, e => new StreamEvent(turn, e),
            end => new StreamEnded(turn, end is PumpEnd.Failed f ? SpeechSynthesisException.Describe(f.Error, "speech synthesis failed") : null), ct);

    private void OnStreamEvent(StreamEvent m)
    {
        var state = _turns.Speaking(m.Turn);
        if (state is null) return; // stale: never played
        switch (m.Event)
        {
            case SpeechAudio audio:
                if (state.AudioArrived(audio, _events.Now))
                    _playback.Tell(new AudioChunk(m.Turn, audio.Samples, _synthesizer.OutputSampleRate, audio.Text), Self);
                break;
            case SpeechServerTiming timing:
                state.ServerTiming(timing);
                break;
            case SpeechNotice notice:
                _events.Publish(new StatusNotice("tts", notice.Text, NoticeLevel.Warning));
                break;
        }
    }

    private void OnStreamEnded(StreamEnded m)
    {
        if (_turns.Unfinished(m.Turn) is { } state) Finish(state, m.Error);
    }

    /// <summary>Ends the turn here: reports a failure, tells playback no more audio will come,
    /// publishes the turn's metrics and releases the session.</summary>
    private void Finish(SpeechTurn state, string? error)
    {
        if (error is not null && !state.Interrupted)
        {
            _log.Warning("TTS failed for {0}: {1}", state.Id, error);
            _events.Publish(new SpeechFailed(state.Id, error));
            _events.Publish(new StatusNotice("tts", error, NoticeLevel.Error));
        }
        // Metrics first, so that an observer that stops at SpeechCompleted has them already.
        _events.Publish(state.Metrics(_synthesizer.OutputSampleRate));
        var completed = new SpeechCompleted(state.Id);
        // Published, after the chunks were told: playback sees it behind the turn's last chunk.
        _events.Publish(completed);
        _turns.Finish(state);
    }

    private void Send(SpeechTurn state, string text)
    {
        state.TextSent(_events.Now);
        Observe(state.Stream!.SendTextAsync(text, state.Cancellation.Token));
    }

    /// <summary>Send methods only queue; a failure surfaces through the stream's reader, so
    /// here it is only logged.</summary>
    private void Observe(Task task)
    {
        var log = _log;
        task.ContinueWith(t => log.Debug("TTS stream call failed: {0}", t.Exception?.GetBaseException().Message),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    private sealed record StreamOpened(TurnId Turn, ISpeechStream? Stream, string? Error);

    private sealed record StreamEvent(TurnId Turn, SpeechEvent Event);

    private sealed record StreamEnded(TurnId Turn, string? Error);
}

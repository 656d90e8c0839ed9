using Akka.Actor;
using Akka.Event;
using VoiceAgent.Audio;
using VoiceAgent.Pipeline;
using VoiceAgent.Protocol;

namespace VoiceAgent.Speech;

/// <summary>
/// Speaks agent turns: adapts the conversation's text messages to an <see cref="ISpeechSynthesizer"/>
/// stream per turn and forwards the audio to the PlaybackActor as <see cref="AudioChunk"/>s.
/// Engine output comes back to this actor first, so everything of an interrupted or finished
/// turn is dropped here, whatever the engine still delivers.
/// </summary>
public sealed class TtsActor : ReceiveActor
{
    private readonly ISpeechSynthesizer _synthesizer;
    private readonly BargeInPolicy _policy;
    private readonly PipelineLinks _links;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<TurnId, TurnState> _turns = new();
    private readonly HashSet<TurnId> _closed = new(); // interrupted or ended: their messages are dropped

    public TtsActor(ISpeechSynthesizer synthesizer, BargeInPolicy policy, PipelineLinks? links = null)
    {
        _synthesizer = synthesizer;
        _policy = policy;
        _links = links ?? new PipelineLinks(Context.System);

        Receive<AgentTurnStarted>(m => Start(m.Turn));
        Receive<AgentText>(OnText);
        Receive<AgentTextCompleted>(OnTextCompleted);
        Receive<BargeIn>(m => Interrupt(m.Turn));

        Receive<StreamOpened>(OnStreamOpened);
        Receive<StreamEvent>(OnStreamEvent);
        Receive<StreamEnded>(OnStreamEnded);

        // The user speaking is the earliest hint that a turn is coming: get a session ready.
        Receive<UserSpeechStarted>(_ => _synthesizer.WarmUp());
        Receive<TranscriptFinal>(_ => _synthesizer.WarmUp());
    }

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(UserSpeechStarted));
        Context.System.EventStream.Subscribe(Self, typeof(TranscriptFinal));
        _links.Publish(new StatusNotice("tts", $"voice: {_synthesizer.Description}"));
    }

    protected override void PostStop()
    {
        Context.System.EventStream.Unsubscribe(Self);
        foreach (var turn in _turns.Values) turn.Close();
        _turns.Clear();
        // The synthesizer outlives a restart of this actor; its owner (the host) disposes it.
    }

    private TurnState? Start(TurnId turn)
    {
        if (_closed.Contains(turn)) return null;
        if (_turns.TryGetValue(turn, out var existing)) return existing;

        var state = new TurnState(turn);
        _turns[turn] = state;
        var self = Self;
        _synthesizer.OpenAsync(turn, state.Cancellation.Token).ContinueWith(
            t => t.IsCompletedSuccessfully
                ? new StreamOpened(turn, t.Result, null)
                : new StreamOpened(turn, null, OneLine(t.Exception?.GetBaseException(), "could not open a TTS session")),
            TaskScheduler.Default).PipeTo(self);
        return state;
    }

    private void OnText(AgentText m)
    {
        var state = Start(m.Turn);
        if (state is null || m.Delta.Length == 0) return;
        if (state.Stream is null)
        {
            state.Pending.Add(m.Delta); // the socket is not open yet; kept per delta, as they came
            return;
        }
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
        if (!_turns.TryGetValue(turn, out var state) || state.Interrupted)
        {
            _closed.Add(turn); // a barge-in before the turn reached us: never speak it
            return;
        }
        state.Interrupted = true;
        _closed.Add(turn);
        var method = _policy == BargeInPolicy.Force ? "force" : "reconnect";
        // Force: the server stops synthesis, then Finish closes the socket. Reconnect: Finish
        // closes the socket at once. Still connecting: Finish abandons the session.
        if (state.Stream is not null && _policy == BargeInPolicy.Force)
            Observe(state.Stream.InterruptAsync(CancellationToken.None));
        _links.Publish(new SpeechInterrupted(turn, method, _links.Now));
        // No more audio will come for the turn: say so now, the reader's end is dropped as stale.
        Finish(state, error: null);
    }

    private void OnStreamOpened(StreamOpened m)
    {
        if (!_turns.TryGetValue(m.Turn, out var state) || state.Interrupted)
        {
            if (m.Stream is not null) Observe(m.Stream.DisposeAsync().AsTask());
            return;
        }
        if (m.Stream is null)
        {
            Finish(state, m.Error ?? "could not open a TTS session");
            return;
        }
        state.Stream = m.Stream;
        foreach (var delta in state.Pending) Send(state, delta);
        state.Pending.Clear();
        if (state.TextCompleted) Observe(m.Stream.CompleteAsync(state.Cancellation.Token));
        StartReading(m.Turn, m.Stream, state.Cancellation.Token);
    }

    private void StartReading(TurnId turn, ISpeechStream stream, CancellationToken ct)
    {
        var self = Self;
        _ = Task.Run(async () =>
        {
            string? error = null;
            try
            {
                await foreach (var e in stream.ReadAsync(ct).WithCancellation(ct))
                    self.Tell(new StreamEvent(turn, e));
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                error = OneLine(ex, "speech synthesis failed");
            }
            self.Tell(new StreamEnded(turn, error));
        }, CancellationToken.None);
    }

    private void OnStreamEvent(StreamEvent m)
    {
        if (!_turns.TryGetValue(m.Turn, out var state) || state.Interrupted) return; // stale: never played
        switch (m.Event)
        {
            case SpeechAudio audio:
                if (audio.Samples.Length > 0)
                {
                    state.FirstAudioAt ??= _links.Now;
                    state.Samples += audio.Samples.Length;
                }
                state.WireBytes += audio.WireBytes;
                if (audio.Samples.Length > 0 || !string.IsNullOrEmpty(audio.Text))
                    _links.Tell<PlaybackActorKey>(new AudioChunk(m.Turn, audio.Samples, _synthesizer.OutputSampleRate, audio.Text), Self);
                break;
            case SpeechServerTiming timing:
                state.ServerTimeToFirstAudioMs ??= timing.TimeToFirstAudioMs;
                break;
            case SpeechNotice notice:
                _links.Publish(new StatusNotice("tts", notice.Text, NoticeLevel.Warning));
                break;
        }
    }

    private void OnStreamEnded(StreamEnded m)
    {
        if (!_turns.TryGetValue(m.Turn, out var state)) return;
        Finish(state, m.Error);
    }

    /// <summary>Ends the turn here: reports a failure, tells playback no more audio will come,
    /// publishes the turn's metrics and releases the session.</summary>
    private void Finish(TurnState state, string? error)
    {
        _turns.Remove(state.Id);
        _closed.Add(state.Id);
        if (error is not null && !state.Interrupted)
        {
            _log.Warning("TTS failed for {0}: {1}", state.Id, error);
            _links.Publish(new SpeechFailed(state.Id, error));
            _links.Publish(new StatusNotice("tts", error, NoticeLevel.Error));
        }
        // Metrics first, so that an observer that stops at SpeechCompleted has them already.
        _links.Publish(new SpeechMetrics(
            state.Id,
            state.FirstTextSentAt is { } sent && state.FirstAudioAt is { } heard ? heard - sent : null,
            state.ServerTimeToFirstAudioMs,
            state.WireBytes,
            Pcm16.Duration(state.Samples, _synthesizer.OutputSampleRate)));
        var completed = new SpeechCompleted(state.Id);
        _links.Tell<PlaybackActorKey>(completed, Self);
        _links.Publish(completed);
        state.Close();
    }

    private void Send(TurnState state, string text)
    {
        state.FirstTextSentAt ??= _links.Now;
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

    internal static string OneLine(Exception? ex, string fallback)
    {
        var text = ex switch
        {
            SpeechSynthesisException s => s.Message,
            null => fallback,
            _ => $"{fallback}: {ex.Message}",
        };
        var newline = text.IndexOfAny(['\r', '\n']);
        return newline < 0 ? text : text[..newline];
    }

    private sealed class TurnState(TurnId id)
    {
        public TurnId Id { get; } = id;
        public CancellationTokenSource Cancellation { get; } = new();
        public List<string> Pending { get; } = new();
        public ISpeechStream? Stream { get; set; }
        public bool TextCompleted { get; set; }
        public bool Interrupted { get; set; }
        public DateTimeOffset? FirstTextSentAt { get; set; }
        public DateTimeOffset? FirstAudioAt { get; set; }
        public int? ServerTimeToFirstAudioMs { get; set; }
        public long Samples { get; set; }
        public long WireBytes { get; set; }

        public void Close()
        {
            var stream = Stream;
            Stream = null;
            if (stream is not null)
            {
                // Let a forced or completed stream close its socket gracefully, then stop the reader.
                _ = Task.Run(async () =>
                {
                    try { await stream.DisposeAsync(); } catch { /* closing: nothing left to report */ }
                    Cancellation.Cancel();
                    Cancellation.Dispose();
                });
            }
            else
            {
                Cancellation.Cancel();
            }
        }
    }

    private sealed record StreamOpened(TurnId Turn, ISpeechStream? Stream, string? Error);

    private sealed record StreamEvent(TurnId Turn, SpeechEvent Event);

    private sealed record StreamEnded(TurnId Turn, string? Error);
}

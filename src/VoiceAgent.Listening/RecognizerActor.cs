using Akka.Actor;
using Akka.Event;
using VoiceAgent.Listening.Engine;
using VoiceAgent.Listening.Interruptions;
using VoiceAgent.Listening.Turns;
using VoiceAgent.Pipeline;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Listening;

/// <summary>
/// Decides what the user said and when they interrupt, by voice: if the agent is speaking, a
/// <see cref="BargeIn"/> is published first, then the <see cref="TranscriptFinal"/> once the
/// <see cref="UserTurnTracker"/> has decided that the user's turn ended. (Typed lines
/// are published by the console; the conversation decides whether they interrupt.) Microphone frames go through the
/// <see cref="ListeningEngine"/> (echo cancelling, VAD, two-phase barge-in), and so does the played
/// audio; its utterances go to the <see cref="ISpeechRecognizer"/> on a task. With no recognizer
/// the app stays in text mode, and voice activity still pauses and interrupts the agent.
/// The engine keeps the agent's turns (<see cref="AgentTurn"/>).
/// </summary>
public sealed class RecognizerActor : ReceiveActor
{
    /// <summary>What others publish that the recognizer acts on: whether the agent is speaking.
    /// Microphone frames, the echo reference and push-to-talk are told to it.</summary>
    public static readonly IReadOnlyList<Type> Facts = [typeof(AgentTurnStarted), typeof(AgentTurnEnded)];

    private readonly ListeningSettings _settings;
    private readonly ISpeechRecognizer? _recognizer;
    private readonly PipelineEvents _events;
    private readonly ListeningEngine? _engine;
    private readonly UserTurnTracker _userTurn;
    // Why there is no voice input; or, with a recognizer, why that one listens (may be empty).
    private readonly string _reason;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Builds its own engine (real Silero model) and recognizer from the settings; a
    /// restarted actor builds fresh ones.</summary>
    public RecognizerActor(ListeningSettings settings, Action<string>? progress)
        : this(settings, ListeningHosting.Build(new ConfiguredListeningEngines(), settings, progress))
    {
    }

    /// <param name="engines">Where the engine and recognizer come from.</param>
    /// <param name="microphone">Whether a microphone delivers frames; without one nothing is loaded (text mode).</param>
    public RecognizerActor(ListeningSettings settings, IListeningEngines engines, Action<string>? progress, bool microphone)
        : this(settings, ListeningHosting.Build(engines, settings, progress, microphone))
    {
    }

    private RecognizerActor(ListeningSettings settings, (ListeningEngine? Engine, ISpeechRecognizer? Recognizer, string? Reason) parts)
        : this(settings, parts.Recognizer, null, parts.Engine, parts.Reason)
    {
    }

    /// <param name="engine">Voice activity; null when the VAD model is not available.</param>
    /// <param name="unavailable">Why voice input is not available, shown in <see cref="RecognizerReady"/>;
    /// with a recognizer, why that one was chosen (shown beside it).</param>
    public RecognizerActor(ListeningSettings settings, ISpeechRecognizer? recognizer, PipelineEvents? events = null, ListeningEngine? engine = null, string? unavailable = null)
    {
        _settings = settings;
        _recognizer = recognizer;
        _events = events ?? new PipelineEvents(Context.System);
        _engine = engine;
        _reason = string.IsNullOrEmpty(unavailable) && recognizer is null ? "no speech recognizer" : unavailable ?? "";
        _userTurn = new UserTurnTracker(settings.Turn, WallClock);

        Receive<AudioFrame>(OnFrame);
        Receive<PlaybackReference>(m =>
        {
            if (_engine is not null) Handle(_engine.AddReference(m));
        });
        Receive<PlaybackReferenceCut>(m =>
        {
            if (_engine is not null) Handle(_engine.CutReference(m));
        });
        Receive<PushToTalk>(m =>
        {
            _engine?.SetTalkHeld(m.Held);
            _events.Publish(m);
        });
        Receive<AgentTurnStarted>(m =>
        {
            _engine?.AgentSpeaking(m.Turn);
        });
        Receive<AgentTurnEnded>(m =>
        {
            if (_engine is not null) Handle(_engine.AgentSilent(m.Turn));
        });
        Receive<Transcribed>(OnTranscribed);
        Receive<TranscriptionFailed>(OnFailed);
    }

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, Facts);
        var voice = _recognizer is not null && _engine is not null;
        var ready = voice
            ? new RecognizerReady(true, $"{_recognizer!.Description}{(_reason.Length > 0 ? $" — {_reason}" : "")}; microphone: {Describe(_settings.Mode)}")
            : new RecognizerReady(false, $"{_reason}: text mode (type to talk; typing while I speak interrupts me)"
                + (_engine is not null ? "; with a microphone, your voice still interrupts me" : ""));
        _events.Publish(ready);
    }

    protected override void PostStop()
    {
        Context.System.EventStream.Unsubscribe(Self);
        _stopping.Cancel();
        _engine?.Dispose();
        _recognizer?.Dispose();
    }

    private static string Describe(MicrophoneMode mode) => mode switch
    {
        MicrophoneMode.Headset => "headset",
        MicrophoneMode.PushToTalk => "push-to-talk (/ptt)",
        _ => "speakers with echo cancelling",
    };

    private void OnFrame(AudioFrame frame)
    {
        if (_engine is not null) Handle(_engine.Process(frame, _events.Now));
    }

    private void Handle(IReadOnlyList<ListeningEvent> events)
    {
        foreach (var e in events)
        {
            switch (e)
            {
                case SpeechBegan began:
                    Publish(_userTurn.SpeechStarted(began.Onset));
                    if (_engine!.SpeakingTurn.IsNone || !_settings.BargeInEnabled)
                        _events.Publish(new UserSpeechStarted(TurnId.None, WallClock(began.Onset)));
                    break;
                case BargeInDecided { Decision: var d }:
                    OnDecision(d);
                    break;
                case SpeechFinished finished:
                    _events.Publish(new UserSpeechEnded(WallClock(finished.End)));
                    Publish(_userTurn.SpeechFinished(finished.End, finished.Transcribed && _recognizer is not null));
                    break;
                case UtteranceReady utterance:
                    Transcribe(utterance);
                    break;
            }
        }
        // The silence that ends the user's turn is counted in audio heard, not in wall time.
        if (_engine is not null) Publish(_userTurn.Tick(_engine.LastWindowEnd));
    }

    private void Publish(IReadOnlyList<IPipelineEvent> events)
    {
        foreach (var e in events) _events.Publish(e);
    }

    // Events come only from the engine, so there is one whenever this is asked.
    private DateTimeOffset WallClock(TimeSpan capture) => _engine!.ToWallClock(capture);

    private void OnDecision(BargeInDecision decision)
    {
        switch (decision.Action)
        {
            case BargeInAction.Pause:
                var started = new UserSpeechStarted(decision.Turn, WallClock(decision.Onset)) { DecidedAtCapture = decision.At };
                _events.Publish(started);
                break;
            case BargeInAction.Confirm:
                _events.Publish(new BargeIn(decision.Turn, InputSource.Voice, _events.Now) { DecidedAtCapture = decision.At });
                break;
            case BargeInAction.Dismiss:
                var dismissed = new UserSpeechDismissed(decision.Turn, _events.Now);
                _events.Publish(dismissed);
                break;
        }
    }

    private void Transcribe(UtteranceReady utterance)
    {
        if (_recognizer is null) return;
        var speech = (Onset: utterance.Start + _settings.SpeechPadding, End: utterance.End - _settings.SpeechPadding);
        var recognizer = _recognizer;
        var token = _stopping.Token;
        // On a worker, never on the mailbox; each utterance on its own, so none waits behind a slow one.
        Task.Run(async () =>
        {
            try
            {
                var text = await recognizer.TranscribeAsync(utterance.Samples, utterance.Start, token).ConfigureAwait(false);
                return (object)new Transcribed(new UtteranceTranscript(speech.Onset, speech.End, text.Trim()) { Audio = utterance.Samples, Recognizer = recognizer.Name });
            }
            catch (SpeechRecognitionException e)
            {
                return new TranscriptionFailed(e.Message, speech.Onset, speech.End);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return new TranscriptionFailed($"speech recognition failed: {e.Message}", speech.Onset, speech.End);
            }
        }, token).PipeTo(Self);
    }

    private void OnTranscribed(Transcribed result) => Accept(result.Transcript with { RecognizedAt = _events.Now });

    private void OnFailed(TranscriptionFailed failed)
    {
        _events.Publish(new StatusNotice("recognizer", failed.Reason, NoticeLevel.Warning));
        Accept(new UtteranceTranscript(failed.Onset, failed.End, "") { RecognizedAt = _events.Now });
    }

    /// <summary>Words the user said, on their way into the turn. Every utterance sent to the
    /// recognizer must come here once, with empty text when it has no words for the turn: the
    /// turn waits for all of them.</summary>
    private void Accept(UtteranceTranscript transcript) => Publish(_userTurn.Accept(transcript));

    private sealed record Transcribed(UtteranceTranscript Transcript);

    private sealed record TranscriptionFailed(string Reason, TimeSpan Onset, TimeSpan End);
}

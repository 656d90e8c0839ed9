using Akka.Actor;
using Akka.Event;
using VoiceAgent.Listening.Engine;
using VoiceAgent.Listening.Interruptions;
using VoiceAgent.Listening.Recognition;
using VoiceAgent.Listening.Turns;
using VoiceAgent.Listening.Words;
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
/// <para>
/// With a recognizer (and <c>barge-in.words</c>), the words heard over the paused agent decide
/// the barge-in: the engine asks for the overlap to be transcribed and is told what it said.
/// Every transcript passes the <see cref="TranscriptScreen"/> before it is published: the
/// agent's own words heard back and a backchannel over the agent are dropped.
/// </para>
/// </summary>
public sealed class RecognizerActor : ReceiveActor
{
    /// <summary>What others publish that the recognizer acts on: whether the agent is speaking,
    /// and what it says and has been heard saying (to know its own words when they come back).
    /// Microphone frames, the echo reference and push-to-talk are told to it.</summary>
    public static readonly IReadOnlyList<Type> Facts =
    [
        typeof(AgentTurnStarted), typeof(AgentTurnEnded), typeof(AgentText),
        typeof(PlaybackStarted), typeof(PlaybackProgress), typeof(PlaybackFinished), typeof(PlaybackStopped),
    ];

    private readonly ListeningSettings _settings;
    private readonly ISpeechRecognizer? _recognizer;
    private readonly PipelineEvents _events;
    private readonly ListeningEngine? _engine;
    private readonly UserTurnTracker _userTurn;
    // Why there is no voice input; or, with a recognizer, why that one listens (may be empty).
    private readonly string _reason;
    private readonly CancellationTokenSource _stopping = new();
    private readonly BackgroundTranscriber? _transcriber;
    private readonly TranscriptScreen _screen;

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
        _transcriber = recognizer is null ? null : new BackgroundTranscriber(recognizer, _stopping.Token);
        _screen = new TranscriptScreen(settings.BargeInBackchannels, settings.BargeInMinWords, HeardTextWindow.Default());
        if (recognizer is not null && settings.BargeInWords) _engine?.DecideByWords(new WordsRule(settings.BargeInMaxPause, WordsRule.RetranscribeAfter));

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
            _screen.Played.TurnStarted(m.Turn);
        });
        Receive<AgentText>(m => _screen.Played.Text(m.Turn, m.Delta));
        Receive<PlaybackStarted>(m => Capture(m.At, at => _screen.Played.PlaybackStarted(m.Turn, at)));
        Receive<PlaybackProgress>(m => Capture(_events.Now, at => _screen.Played.Progress(m.Turn, m.HeardText, at)));
        Receive<PlaybackFinished>(m => Capture(m.At, at => _screen.Played.PlaybackEnded(m.Turn, m.HeardText, at)));
        Receive<PlaybackStopped>(m => Capture(m.At, at => _screen.Played.PlaybackEnded(m.Turn, m.HeardText, at)));
        Receive<AgentTurnEnded>(m =>
        {
            if (_engine is not null) Handle(_engine.AgentSilent(m.Turn));
        });
        Receive<Transcribed>(OnTranscribed);
        Receive<OverlapTranscribed>(OnOverlapTranscribed);
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

    /// <summary>Runs <paramref name="then"/> with the capture-clock time of a wall-clock moment
    /// (nothing is heard before the microphone's first frame).</summary>
    private void Capture(DateTimeOffset at, Action<TimeSpan> then)
    {
        if (_engine?.ToCapture(at) is { } capture) then(capture);
    }

    private void OnFrame(AudioFrame frame)
    {
        if (_engine is not null) Handle(_engine.Process(frame, _events.Now));
    }

    private void Handle(IReadOnlyList<ListeningEvent> events)
    {
        foreach (var e in events)
        {
            if (e is SpeechBegan segment) _screen.SegmentBegan(segment.Onset, _engine!.SpeakingTurn);
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
                    TranscribeUtterance(utterance);
                    break;
                case OverlapReady overlap:
                    _transcriber?.Start(overlap.Samples, overlap.Start, text => new OverlapTranscribed(text, overlap.Onset, overlap.Start, overlap.End), Self);
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
                _screen.Interrupted(decision.Onset);
                _events.Publish(new BargeIn(decision.Turn, InputSource.Voice, _events.Now) { DecidedAtCapture = decision.At, Words = decision.Words });
                break;
            case BargeInAction.Dismiss:
                var dismissed = new UserSpeechDismissed(decision.Turn, _events.Now);
                _events.Publish(dismissed);
                break;
        }
    }

    private void TranscribeUtterance(UtteranceReady utterance)
    {
        if (_transcriber is null) return;
        var speech = (Onset: utterance.Start + _settings.SpeechPadding, End: utterance.End - _settings.SpeechPadding);
        var name = _transcriber.Name;
        _transcriber.Start(utterance.Samples, utterance.Start, text => new Transcribed(
            new UtteranceTranscript(speech.Onset, speech.End, text.Trim()) { Audio = utterance.Samples, Recognizer = name },
            utterance.Onset, utterance.Start, utterance.End), Self);
    }

    private void OnOverlapTranscribed(OverlapTranscribed result)
    {
        var words = _screen.Overlap(result.Text.Trim(), result.Onset, result.Start, result.End);
        var turn = _engine!.SpeakingTurn;
        Handle(_engine.Heard(words, result.Onset));
        if (words.Kind == WordsKind.Echo) _events.Publish(new EchoTranscriptDropped(words.Text, words.Playing, _events.Now));
        if (words.Kind == WordsKind.Backchannel && _screen.FirstBackchannel(result.Onset)) _events.Publish(new BackchannelHeard(turn, words.Text, _events.Now));
    }

    private void OnTranscribed(Transcribed result)
    {
        var transcript = result.Transcript with { RecognizedAt = _events.Now };
        Accept(Screened(transcript, result.SegmentOnset, result.Start, result.End) ? transcript : transcript with { Text = "" });
    }

    /// <summary>A failed transcription says so, and counts as no words: the turn does not wait
    /// for it, and a paused barge-in falls back to its other rules.</summary>
    private void OnFailed(TranscriptionFailed failed)
    {
        _events.Publish(new StatusNotice("recognizer", failed.Reason, NoticeLevel.Warning));
        switch (failed.NoWords)
        {
            case Transcribed utterance: OnTranscribed(utterance); break;
            case OverlapTranscribed overlap: OnOverlapTranscribed(overlap); break;
        }
    }

    /// <summary>The screening step before words join the user's turn: the agent's own words
    /// heard back and a backchannel over the agent are reported (a backchannel once per segment)
    /// and dropped.</summary>
    private bool Screened(UtteranceTranscript transcript, TimeSpan segmentOnset, TimeSpan start, TimeSpan end)
    {
        if (transcript.Text.Length == 0) return true;
        var verdict = _screen.Final(transcript.Text, segmentOnset, start, end);
        if (verdict.Fate == TranscriptFate.Echo) _events.Publish(new EchoTranscriptDropped(transcript.Text, verdict.Playing, _events.Now));
        if (verdict is { Fate: TranscriptFate.Backchannel, FirstOfSegment: true }) _events.Publish(new BackchannelHeard(verdict.AgentTurn, transcript.Text, _events.Now));
        return verdict.Fate == TranscriptFate.Keep;
    }

    /// <summary>Words the user said, on their way into the turn. Every utterance sent to the
    /// recognizer must come here once, with empty text when it has no words for the turn: the
    /// turn waits for all of them.</summary>
    private void Accept(UtteranceTranscript transcript) => Publish(_userTurn.Accept(transcript));

    /// <summary>A finished utterance's words; the span of the audio given (capture clock) and the
    /// onset of its speech segment, for the screen.</summary>
    private sealed record Transcribed(UtteranceTranscript Transcript, TimeSpan SegmentOnset, TimeSpan Start, TimeSpan End);

    /// <summary>The words of the overlap heard over the paused agent.</summary>
    private sealed record OverlapTranscribed(string Text, TimeSpan Onset, TimeSpan Start, TimeSpan End);
}

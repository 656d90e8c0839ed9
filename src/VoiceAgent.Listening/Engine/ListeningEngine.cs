using VoiceAgent.Dsp;
using VoiceAgent.Listening.Echo;
using VoiceAgent.Listening.Interruptions;
using VoiceAgent.Listening.Vad;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Listening.Engine;

/// <summary>
/// Everything the recognizer does with microphone audio, as a plain class on the capture clock:
/// echo cancelling against the playback reference (speaker mode), Silero VAD, gating (echo,
/// silence floor, push-to-talk), speech segments, the two-phase barge-in and the utterances to
/// transcribe. The RecognizerActor and the scenario runner drive the same engine.
/// <para>
/// Its input is what the devices give: microphone frames with their capture-clock positions
/// and arrival times, and the pieces of played audio with their wall-clock stamps (see
/// <see cref="Process(AudioFrame, DateTimeOffset)"/>, <see cref="AddReference(PlaybackReference)"/>).
/// It maps them onto the capture clock itself, so a recording of both replays without a
/// pipeline. The overloads on the capture clock take audio already placed there.
/// </para>
/// </summary>
public sealed class ListeningEngine : IDisposable
{
    public const int SampleRate = CaptureFormat.SampleRate;

    private readonly ListeningSettings _settings;
    private readonly ISpeechProbabilityModel _model;
    private readonly WindowAssembler _residualWindows;
    private readonly WindowAssembler _micWindows;
    private readonly SpeechSegmenter _segmenter;
    private readonly BargeInStateMachine _bargeIn;
    private readonly AgentTurn _turn = new();
    private readonly CaptureClock _clock = new();
    private readonly ReferenceFeed _feed;
    // Speaker mode only: the agent's echo and what removes it.
    private readonly SpeakerEcho? _echo;
    private readonly SpeechCuts _cuts;
    private readonly EchoGate _echoGate;
    private readonly FramesAwaitingReference _held = new(Pcm16.SamplesFor(MaxReferenceWait, SampleRate));
    private long _referenceMissingUntil = long.MinValue;
    private bool _talkHeld;
    private TimeSpan _lastWindowEnd;

    public ListeningEngine(ListeningSettings settings, ISpeechProbabilityModel model)
    {
        _settings = settings;
        _model = model;
        _residualWindows = new WindowAssembler(model.WindowSamples, SampleRate);
        _micWindows = new WindowAssembler(model.WindowSamples, SampleRate);
        _segmenter = new SpeechSegmenter(settings.VadThreshold, settings.MinSilence);
        _bargeIn = new BargeInStateMachine(settings.BargeInMinSpeech, settings.BargeInResumeAfter, settings.BargeInEnabled, settings.VadThreshold,
            settings.Mode == MicrophoneMode.Speaker ? HaltWait : null, _turn);
        _feed = new ReferenceFeed(_clock);
        _cuts = new SpeechCuts(settings, SampleRate);
        _echoGate = new EchoGate(settings.EchoDominanceDb);
        if (settings.Mode == MicrophoneMode.Speaker) _echo = new SpeakerEcho(settings, _echoGate);
    }

    /// <summary>How long the gate stays cautious after the echo of a new stream of played audio
    /// begins (see <see cref="EchoGate.Settling"/>).</summary>
    public static readonly TimeSpan NewStreamSettling = TimeSpan.FromMilliseconds(200);

    /// <summary>In speaker mode, how long sustained speech waits to be heard after the agent's
    /// audio stopped reaching the microphone before its duration alone confirms a barge-in
    /// (see <see cref="BargeInStateMachine"/>).</summary>
    public static readonly TimeSpan HaltWait = TimeSpan.FromSeconds(2);

    /// <summary>Longest a frame waits for its echo reference (capture time).</summary>
    public static readonly TimeSpan MaxReferenceWait = TimeSpan.FromMilliseconds(200);

    public MicrophoneMode Mode => _settings.Mode;

    /// <summary>The end of the last window scored: how far the capture clock has been heard.</summary>
    public TimeSpan LastWindowEnd => _lastWindowEnd;

    public bool TalkHeld => _talkHeld;

    public TurnId SpeakingTurn => _bargeIn.SpeakingTurn;

    /// <summary>The agent's turns as this engine follows them (for whoever else needs them, such
    /// as typed input, which interrupts a turn once).</summary>
    public AgentTurn Turn => _turn;

    /// <summary>The wall-clock moment of capture-clock time <paramref name="position"/>.</summary>
    public DateTimeOffset ToWallClock(TimeSpan position) => _clock.ToWallClock(position);

    /// <summary>The capture-clock time of a wall-clock moment (null before the first frame).</summary>
    public TimeSpan? ToCapture(DateTimeOffset at) => _clock.ToCapture(at);

    /// <summary>Let words decide barge-ins (null: the duration alone): the engine then asks for
    /// the overlap to be transcribed (<see cref="OverlapReady"/>) and is told what it said
    /// (<see cref="Heard"/>).</summary>
    public void DecideByWords(WordsRule? rule) => _bargeIn.DecideByWords(rule);

    /// <summary>What the overlap of the onset at <paramref name="onset"/> said; decided at the
    /// last window processed.</summary>
    public IReadOnlyList<ListeningEvent> Heard(HeardWords words, TimeSpan onset) =>
        _bargeIn.Heard(words, onset, _lastWindowEnd) is { } decision ? [new BargeInDecided(decision)] : [];

    /// <summary>A microphone frame as the device gave it, received at <paramref name="receivedAt"/>
    /// (used when the frame carries no arrival time): it moves the capture clock's mapping, lets
    /// played audio announced before capture began be placed, and is processed like
    /// <see cref="Process(ReadOnlySpan{short}, TimeSpan, bool)"/>.</summary>
    public IReadOnlyList<ListeningEvent> Process(AudioFrame frame, DateTimeOffset receivedAt)
    {
        var moved = _clock.Observe(frame, receivedAt);
        if (moved > TimeSpan.Zero) CaptureClockMoved(moved);
        var events = new List<ListeningEvent>();
        foreach (var announced in _feed.TakeAnnouncedBeforeCapture())
            events.AddRange(announced is PlaybackReference reference ? AddReference(reference) : CutReference((PlaybackReferenceCut)announced));
        events.AddRange(Process(frame.Samples.Span, frame.Position));
        return events;
    }

    /// <summary>A piece of played audio as playback announced it (any rate, stamped with when it
    /// is heard on the wall clock). Only speaker mode listens to it.</summary>
    public IReadOnlyList<ListeningEvent> AddReference(PlaybackReference reference)
    {
        if (Mode != MicrophoneMode.Speaker || _feed.WaitsForCaptureClock(reference)) return [];
        if (_feed.ToCapture(reference) is not { } piece) return [];
        return AddReference(piece.Samples, piece.HeardAt, piece.Continues);
    }

    /// <summary>Playback dropped its audio from a wall-clock moment on.</summary>
    public IReadOnlyList<ListeningEvent> CutReference(PlaybackReferenceCut cut)
    {
        if (Mode != MicrophoneMode.Speaker || _feed.WaitsForCaptureClock(cut)) return [];
        return _feed.ToCapture(cut) is { } from ? CutReference(from) : [];
    }

    public EchoGate EchoGate => _echoGate;

    public ReadOnlySpan<float> EchoPath => _echo is null ? ReadOnlySpan<float>.Empty : _echo.Weights;

    /// <summary>Audio that was played, already at 16 kHz, whose first sample reaches the
    /// listener at capture-clock time <paramref name="heardAt"/>; <paramref name="continues"/>
    /// when the device plays it right after the previous piece (see <see cref="ReferenceAligner"/>).
    /// Returns what the frames that were waiting for this reference led to.</summary>
    public IReadOnlyList<ListeningEvent> AddReference(ReadOnlySpan<short> samples, TimeSpan heardAt, bool continues = false)
    {
        if (_echo is null) return [];
        _echo.Add(Pcm16.ToFloats(samples), Index(heardAt), continues);
        return Release();
    }

    /// <summary>The wall-clock-to-capture mapping improved: time stamps of played audio now map
    /// <paramref name="later"/> later than before for the same moment.</summary>
    private void CaptureClockMoved(TimeSpan later) => _echo?.StampsShifted(Pcm16.SamplesFor(later, SampleRate));

    /// <summary>The device dropped its audio at capture-clock time <paramref name="from"/>:
    /// reference announced after it was never heard.</summary>
    public IReadOnlyList<ListeningEvent> CutReference(TimeSpan from)
    {
        if (_echo is null) return [];
        _echo.Cut(Index(from));
        // What was played up to the cut still reaches the microphone one echo delay later,
        // and its reflections a little after that.
        var echoDelay = _echo.EchoDelaySamples + 2 * _model.WindowSamples;
        _bargeIn.AgentHalted(from + Pcm16.Duration(echoDelay, SampleRate));
        return Release();
    }

    public void AgentSpeaking(TurnId turn) => _bargeIn.AgentSpeaking(turn);

    public IReadOnlyList<ListeningEvent> AgentSilent(TurnId turn)
    {
        if (turn != _bargeIn.SpeakingTurn) return [];
        // Frames heard while the agent still spoke are decided before its turn ends.
        var events = _held.ReleaseAll(ProcessHeld);
        if (_bargeIn.AgentSilent(turn, _lastWindowEnd) is { } decision) events.Add(new BargeInDecided(decision));
        return events;
    }

    /// <summary>Push-to-talk: whether the talk key is held. Ignored in other modes.</summary>
    public void SetTalkHeld(bool held) => _talkHeld = held;

    /// <summary>Takes one capture frame (16 kHz mono) whose first sample is at
    /// <paramref name="position"/> and returns what it, and any frame held before it, led to.
    /// <para>
    /// In speaker mode a frame waits for its echo reference. Played audio is normally announced
    /// well before it is heard, but on a busy machine the announcement can come after the
    /// microphone frame that holds its echo, and that echo, with nothing to cancel it, would
    /// pass for the user. So while the agent's audio streams, a frame whose reference has not
    /// arrived yet is held (at most <see cref="MaxReferenceWait"/> of capture time) and processed,
    /// in capture order, once it has. Decisions stay on the capture clock: when the frames are
    /// processed changes nothing about what they mean.
    /// </para></summary>
    public IReadOnlyList<ListeningEvent> Process(ReadOnlySpan<short> frame, TimeSpan position, bool includeWindows = false)
    {
        if (_echo is null) return ProcessNow(frame, position, includeWindows);
        _held.Add(new HeldFrame(frame.ToArray(), position, includeWindows));
        var events = Release();
        if (_held.Count > 0) FramesThatWaited++;
        return events;
    }

    /// <summary>Frames waiting for their echo reference.</summary>
    public int HeldFrames => _held.Count;

    /// <summary>Frames whose echo reference had not come when they had waited as long as they may.</summary>
    public long ReferenceMissingFrames { get; private set; }

    /// <summary>Frames that had to wait for their echo reference, since the start.</summary>
    public long FramesThatWaited { get; private set; }

    /// <summary>Processes held frames, oldest first, as long as their reference is there or
    /// cannot be expected.</summary>
    private IReadOnlyList<ListeningEvent> Release() => _held.Release(AwaitsReference, ProcessHeld);

    private IReadOnlyList<ListeningEvent> ProcessHeld(HeldFrame frame, bool referenceMissing) =>
        ProcessNow(frame.Samples, frame.Position, frame.IncludeWindows, referenceMissing);

    /// <summary>Whether the frame's echo reference is still to come: the agent speaks and its
    /// audio is still being announced (see <see cref="SpeakerEcho.AwaitsReference"/>).</summary>
    private bool AwaitsReference(HeldFrame frame) => !_bargeIn.SpeakingTurn.IsNone && _echo!.AwaitsReference(frame.End);

    /// <param name="referenceMissing">The frame waited as long as it may and its echo reference
    /// has still not come: its echo cannot be cancelled, so nothing in it counts as the user and
    /// the canceller learns nothing from it.</param>
    private IReadOnlyList<ListeningEvent> ProcessNow(ReadOnlySpan<short> frame, TimeSpan position, bool includeWindows, bool referenceMissing = false)
    {
        var first = Index(position);
        if (referenceMissing)
        {
            _referenceMissingUntil = first + frame.Length;
            ReferenceMissingFrames++;
        }
        var mic = Pcm16.ToFloats(frame);
        var residual = (float[])mic.Clone();
        _echo?.Cancel(first, mic, residual, referenceMissing, _segmenter.InSpeech);
        _cuts.Append(residual, first);

        var events = new List<ListeningEvent>();
        using var micWindows = _micWindows.Add(mic, position).GetEnumerator();
        foreach (var window in _residualWindows.Add(residual, position))
        {
            micWindows.MoveNext();
            Score(window, micWindows.Current, events, includeWindows);
        }
        return events;
    }

    /// <summary>Longest the canceller keeps its path unlearned while a new stream's placement is
    /// searched: if the echo path itself changed, no placement explains it, and the filter must
    /// learn again.</summary>
    public static readonly TimeSpan WideSearchLimit = TimeSpan.FromMilliseconds(500);

    /// <summary>Echo removal, measured on the microphone (<see cref="FrequencyDomainEchoCanceller.RemovalDb"/>),
    /// at which the filter's path is trusted to find a new stream's placement (dB).</summary>
    public const double PathKnownRemovalDb = 10;

    /// <summary>Times the reference was moved to match the echo.</summary>
    public long Realignments => _echo?.Realignments ?? 0;

    private void Score(AudioWindow residual, AudioWindow mic, List<ListeningEvent> events, bool includeWindows)
    {
        var probability = _model.SpeechProbability(residual.Samples);
        var micDb = Pcm16.RmsDbfs(mic.Samples);
        var residualDb = Pcm16.RmsDbfs(residual.Samples);
        var echoSpan = _echo?.EchoSpan(Index(residual.Start), Index(residual.End)) ?? default;
        var echoActive = _echo is not null && _echo.Plays(echoSpan);
        _echoGate.Settling = _echo is not null && _echo.Settling(Index(residual.Start));
        var gated = residualDb < _settings.SilenceFloorDbfs
            || Index(residual.Start) < _referenceMissingUntil
            || (_settings.Mode == MicrophoneMode.PushToTalk && !_talkHeld)
            || (echoActive && (residualDb < _settings.EchoFloorDbfs
                || !_echoGate.MayBeUser(new EchoWindowLevels(micDb, residualDb, _echo!.LoudestReferenceDb(echoSpan, _model.WindowSamples)))));
        var step = _segmenter.Step(residual.Start, residual.End, gated ? 0f : probability);
        _lastWindowEnd = residual.End;
        if (includeWindows)
            events.Add(new WindowScored(residual.Start, residual.End, probability, step.Speech, micDb, residualDb, echoActive, gated));

        if (step.Onset) events.Add(new SpeechBegan(step.SegmentStart, step.WindowEnd));
        if (_bargeIn.Observe(step) is { } decision) Decided(decision, events);
        if (step.Offset)
        {
            var utterance = _cuts.Utterance(step);
            events.Add(new SpeechFinished(step.SegmentStart, step.SegmentEnd, step.WindowEnd) { Transcribed = utterance is not null });
            if (utterance is not null) events.Add(utterance);
        }
    }

    /// <summary>A request for words becomes the overlap to transcribe; a near-silent overlap
    /// has none, and the machine is told so at once.</summary>
    private void Decided(BargeInDecision decision, List<ListeningEvent> events)
    {
        if (decision.Action != BargeInAction.Transcribe) events.Add(new BargeInDecided(decision));
        else if (_cuts.Overlap(decision) is { } overlap) events.Add(overlap);
        else if (_bargeIn.Heard(new HeardWords(WordsKind.Nothing, ""), decision.Onset, decision.At) is { } next) events.Add(new BargeInDecided(next));
    }

    private static long Index(TimeSpan time) => Pcm16.SampleAt(time, SampleRate);

    public void Dispose() => _model.Dispose();
}

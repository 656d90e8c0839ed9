using VoiceAgent.Audio;
using VoiceAgent.Listening.Interruptions;
using VoiceAgent.Listening.Echo;
using VoiceAgent.Listening.Vad;
using VoiceAgent.Protocol;

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
    private static readonly TimeSpan UtteranceHistory = TimeSpan.FromSeconds(40);
    // Reference quieter than this (about -54 dBFS peak) is not worth cancelling.
    private const float ReferenceActivity = 0.002f;
    // How often the echo path's main delay is looked up again (20 ms frames).
    private const int MainTapEveryFrames = 5;

    private readonly ListeningSettings _settings;
    private readonly ISpeechProbabilityModel _model;
    private readonly WindowAssembler _residualWindows;
    private readonly WindowAssembler _micWindows;
    private readonly SpeechSegmenter _segmenter;
    private readonly BargeInStateMachine _bargeIn;
    private readonly AgentTurn _turn = new();
    private readonly CaptureClock _clock = new();
    private readonly ReferenceFeed _feed;
    private readonly FrequencyDomainEchoCanceller? _canceller;
    private readonly ReferenceTimeline _reference = new();
    private readonly ReferenceAligner _aligner = new(SampleRate);
    private readonly UtteranceBuffer _utterances;
    private readonly EchoGate _echoGate;
    private readonly CouplingMeter _coupling = new();
    private readonly EchoAlignmentTracker _alignment = new();
    private readonly int _leadSamples;
    private readonly Queue<HeldFrame> _held = new();
    private readonly long _maxReferenceWaitSamples = Pcm16.SamplesFor(MaxReferenceWait, SampleRate);
    private bool _referenceCut;
    private long _referenceMissingUntil = long.MinValue;
    private long _settleUntil = long.MinValue;
    private long _alignHoldUntil = long.MinValue;
    // Where the newest stream of played audio was placed, until the frames with its echo come.
    private long? _newStreamAt;
    private long _keepPathUntil = long.MinValue;
    private long _farMoveTakesEffect = long.MinValue;
    private bool _keepingPath;
    private readonly long _wideSearchSamples = Pcm16.SamplesFor(WideSearchLimit, SampleRate);
    private readonly long _settleSamples = Pcm16.SamplesFor(NewStreamSettling, SampleRate);
    private int _mainTap;
    private int _framesSinceMainTap;
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
        _utterances = new UtteranceBuffer(SampleRate, UtteranceHistory);
        _echoGate = new EchoGate(settings.EchoDominanceDb);
        _leadSamples = Pcm16.SamplesFor(settings.EchoLead, SampleRate);
        if (settings.Mode == MicrophoneMode.Speaker)
            _canceller = new FrequencyDomainEchoCanceller(Math.Max(FrequencyDomainEchoCanceller.DefaultBlock, Pcm16.SamplesFor(settings.EchoFilterLength, SampleRate)), settings.EchoStep);
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

    public bool TalkHeld => _talkHeld;

    public TurnId SpeakingTurn => _bargeIn.SpeakingTurn;

    /// <summary>The agent's turns as this engine follows them (for whoever else needs them, such
    /// as typed input, which interrupts a turn once).</summary>
    public AgentTurn Turn => _turn;

    /// <summary>The wall-clock moment of capture-clock time <paramref name="position"/>.</summary>
    public DateTimeOffset ToWallClock(TimeSpan position) => _clock.ToWallClock(position);

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

    public ReadOnlySpan<float> EchoPath => _canceller is null ? ReadOnlySpan<float>.Empty : _canceller.Weights;

    /// <summary>Audio that was played, already at 16 kHz, whose first sample reaches the
    /// listener at capture-clock time <paramref name="heardAt"/>; <paramref name="continues"/>
    /// when the device plays it right after the previous piece (see <see cref="ReferenceAligner"/>).</summary>
    /// Returns what the frames that were waiting for this reference led to.</summary>
    public IReadOnlyList<ListeningEvent> AddReference(ReadOnlySpan<short> samples, TimeSpan heardAt, bool continues = false)
    {
        if (_canceller is null) return [];
        var floats = new float[samples.Length];
        for (var i = 0; i < floats.Length; i++) floats[i] = Pcm16.ToFloat(samples[i]);
        var endBefore = _reference.End;
        var placedAt = _aligner.Place(Index(heardAt), floats.Length, continues);
        _reference.Write(placedAt, floats);
        // A new stream: placed by its stamp, lined up by the echo only once it is heard.
        if (placedAt != endBefore)
        {
            _settleUntil = Math.Max(_settleUntil, placedAt + _mainTap - _leadSamples + _settleSamples);
            _echoGate.NewStreamPlaced();
            // Its placement is searched from where its echo begins: before that the microphone
            // still hears the previous stream (or nothing), which says nothing about this one.
            _newStreamAt = placedAt;
        }
        _referenceCut = false;
        return Release();
    }

    /// <summary>The wall-clock-to-capture mapping improved: time stamps of played audio now map
    /// <paramref name="later"/> later than before for the same moment.</summary>
    private void CaptureClockMoved(TimeSpan later) => _aligner.StampsShifted(Pcm16.SamplesFor(later, SampleRate));

    /// <summary>The device dropped its audio at capture-clock time <paramref name="from"/>:
    /// reference announced after it was never heard.</summary>
    public IReadOnlyList<ListeningEvent> CutReference(TimeSpan from)
    {
        if (_canceller is null) return [];
        _reference.Cut(Index(from));
        _aligner.Cut();
        _referenceCut = true;
        // What was played up to the cut still reaches the microphone one echo delay later,
        // and its reflections a little after that.
        var echoDelay = Math.Max(0, _mainTap - _leadSamples) + 2 * _model.WindowSamples;
        _bargeIn.AgentHalted(from + Pcm16.Duration(echoDelay, SampleRate));
        return Release();
    }

    public void AgentSpeaking(TurnId turn) => _bargeIn.AgentSpeaking(turn);

    public IReadOnlyList<ListeningEvent> AgentSilent(TurnId turn)
    {
        if (turn != _bargeIn.SpeakingTurn) return [];
        // Frames heard while the agent still spoke are decided before its turn ends.
        var events = new List<ListeningEvent>(ReleaseAll());
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
        if (_canceller is null) return ProcessNow(frame, position, includeWindows);
        _held.Enqueue(new HeldFrame(frame.ToArray(), position, includeWindows));
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
    private IReadOnlyList<ListeningEvent> Release()
    {
        List<ListeningEvent>? events = null;
        while (_held.TryPeek(out var next))
        {
            var awaits = AwaitsReference(next);
            if (awaits && HeldSpan() < _maxReferenceWaitSamples) break;
            _held.Dequeue();
            var produced = ProcessNow(next.Samples, next.Position, next.IncludeWindows, referenceMissing: awaits);
            if (produced.Count > 0) (events ??= []).AddRange(produced);
        }
        return events ?? (IReadOnlyList<ListeningEvent>)[];
    }

    private IReadOnlyList<ListeningEvent> ReleaseAll()
    {
        var events = new List<ListeningEvent>();
        while (_held.TryDequeue(out var next)) events.AddRange(ProcessNow(next.Samples, next.Position, next.IncludeWindows));
        return events;
    }

    /// <summary>Whether the frame's echo reference is still to come: the agent speaks, its audio
    /// was not cut, and the reference written so far stops a little short of this frame (a
    /// reference that stopped long before means the audio has ended, or not begun).</summary>
    private bool AwaitsReference(HeldFrame frame)
    {
        if (_bargeIn.SpeakingTurn.IsNone || _referenceCut || _reference.End == 0) return false;
        var needed = Index(frame.Position) + frame.Samples.Length + _leadSamples;
        return _reference.End < needed && needed - _reference.End <= _maxReferenceWaitSamples;
    }

    /// <summary>Capture time covered by the held frames, in samples.</summary>
    private long HeldSpan()
    {
        var oldest = _held.Peek();
        long newestEnd = 0;
        foreach (var frame in _held) newestEnd = Index(frame.Position) + frame.Samples.Length;
        return newestEnd - Index(oldest.Position);
    }

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
        var mic = new float[frame.Length];
        for (var i = 0; i < mic.Length; i++) mic[i] = Pcm16.ToFloat(frame[i]);
        var residual = (float[])mic.Clone();

        if (_canceller is not null)
        {
            var reference = new float[frame.Length];
            _reference.Read(first + _leadSamples, reference);
            var farEndActive = _reference.Peak(first - _canceller.Taps + _leadSamples, first + frame.Length + _leadSamples) > ReferenceActivity;
            if (_newStreamAt is { } placed && first + frame.Length > placed + _mainTap - _leadSamples) NewStreamHeard(first);
            // The search has its time (the filter keeps its path meanwhile); later, what it would
            // find is the filter relearning, or the room's reflections.
            if (_alignment.Searching && first >= _keepPathUntil) _alignment.StopSearching();
            // While the user talks the filter would learn their voice as echo; the canceller
            // also spots double talk itself, block by block. While a new stream's placement is
            // searched (and until a move found there takes effect) it would learn the echo path
            // at the wrong delay, and the search would then find two.
            var keepPath = _keepingPath = first < _keepPathUntil && (_alignment.Searching || first < _farMoveTakesEffect);
            _canceller.Freeze = !farEndActive || referenceMissing || _segmenter.InSpeech || keepPath;
            _canceller.Process(reference, residual);
            _echoGate.CancellerErleDb = _canceller.EchoReductionDb;
            // Lined up only while the canceller explains the echo now (the gate's hold on its
            // convergence would let a user's voice move the reference), or right after a new
            // stream, whose placement may be off far enough that the canceller explains little.
            if (farEndActive && !referenceMissing && first >= _alignHoldUntil
                && (_canceller.EchoReductionDb >= EchoGate.ConvergedErleDb || _alignment.Searching))
                Realign(first + frame.Length + _leadSamples, mic, residual);
            // Measured only where the reference is lined up with the echo: a reference off by a few
            // samples reads as a weaker echo path (seen: 3 dB falling to -8 dB within a resumed
            // stream found 20 samples off), and the gate then let that stream's echo through.
            if (farEndActive)
            {
                // The main delay moves rarely; finding it takes the filter into the time domain.
                if (_framesSinceMainTap++ % MainTapEveryFrames == 0) _mainTap = CouplingMeter.StrongestTap(_canceller.Weights);
                if (!keepPath && first >= _alignHoldUntil && first >= _settleUntil) MeasureCoupling(first, mic);
            }
        }
        _utterances.Append(residual, first);

        var events = new List<ListeningEvent>();
        using var micWindows = _micWindows.Add(mic, position).GetEnumerator();
        foreach (var window in _residualWindows.Add(residual, position))
        {
            micWindows.MoveNext();
            Score(window, micWindows.Current, events, includeWindows);
        }
        return events;
    }

    /// <summary>The frames with the echo of a new stream of played audio begin: if the filter
    /// removed the last stream's echo well, its estimate shows where this one's is, so the
    /// placement is searched from here (see <see cref="EchoAlignmentTracker"/>) and the filter
    /// keeps its path meanwhile, for at most <see cref="WideSearchLimit"/>. A filter that did not
    /// (still converging, or lined up with stamps that were far off) just goes on learning: on
    /// PulseAudio its own measure claimed 30 dB while it removed nothing, and searching with it
    /// (and keeping its path) paused one reply 44 times.</summary>
    private void NewStreamHeard(long first)
    {
        _alignment.NewStream();
        _newStreamAt = null;
        var pathKnown = _canceller!.RemovalDb >= PathKnownRemovalDb;
        if (!pathKnown) _alignment.StopSearching();
        _keepPathUntil = pathKnown ? first + _wideSearchSamples : long.MinValue;
    }

    /// <summary>Longest the canceller keeps its path unlearned while a new stream's placement is
    /// searched: if the echo path itself changed, no placement explains it, and the filter must
    /// learn again.</summary>
    public static readonly TimeSpan WideSearchLimit = TimeSpan.FromMilliseconds(500);

    /// <summary>Echo removal, measured on the microphone (<see cref="FrequencyDomainEchoCanceller.RemovalDb"/>),
    /// at which the filter's path is trusted to find a new stream's placement (dB).</summary>
    public const double PathKnownRemovalDb = 10;

    /// <summary>Moves the reference not yet used when the echo shows it is off: a sample or two
    /// within a stream, up to milliseconds right after a new one (see <see cref="EchoAlignmentTracker"/>).</summary>
    private void Realign(long nextReference, float[] mic, float[] residual)
    {
        var estimate = new float[mic.Length];
        for (var i = 0; i < mic.Length; i++) estimate[i] = mic[i] - residual[i];
        var searching = _alignment.Searching;
        var earlier = _alignment.Add(mic, estimate);
        if (earlier == 0) return;
        _reference.Shift(nextReference, earlier);
        _aligner.Moved(earlier);
        // The echo of the moved reference reaches the microphone one echo delay later; until
        // then the estimate still shows the old placement.
        _alignHoldUntil = nextReference - _leadSamples + _mainTap + CaptureFormat.FrameSamples;
        // A new stream found off: its echo is left uncancelled until the move takes effect (a
        // sample off can leave most of a sibilant), so the gate stays cautious until then, and
        // after a move of milliseconds a moment longer, while the canceller settles. Such a
        // move must not be learned at the old placement meanwhile; a near one may (the filter
        // follows a sample on its own).
        if (searching || Math.Abs(earlier) > _alignment.MaxLag)
            _settleUntil = Math.Max(_settleUntil, _alignHoldUntil + (Math.Abs(earlier) > _alignment.MaxLag ? _settleSamples : 0));
        _farMoveTakesEffect = Math.Abs(earlier) > _alignment.MaxLag ? _alignHoldUntil : long.MinValue;
        _keepPathUntil = Math.Max(_keepPathUntil, _farMoveTakesEffect);
        _echoGate.ReferenceRealigned();
        Realignments++;
    }

    /// <summary>Times the reference was moved to match the echo.</summary>
    public long Realignments { get; private set; }

    /// <summary>Feeds the coupling meter with this frame at the echo path's main delay, and hands
    /// its measurement to the gate.</summary>
    private void MeasureCoupling(long first, float[] mic)
    {
        var mainTap = _mainTap;
        // Tap k pairs microphone sample n with the reference at n + lead - k.
        var reference = new float[mic.Length];
        _reference.Read(first + _leadSamples - mainTap, reference);
        _coupling.Add(mic, reference, mainTap);
        // The main delay comes from the filter: until it has learned the path, the measurement is
        // taken at a meaningless delay (seen: -41 dB for a 0 dB echo, which let the echo itself
        // open a speech segment that froze the canceller for the rest of the reply).
        _echoGate.MeasuredCouplingDb = _canceller!.EchoReductionDb > 0 ? _coupling.CouplingDb : null;
    }

    private void Score(AudioWindow residual, AudioWindow mic, List<ListeningEvent> events, bool includeWindows)
    {
        var probability = _model.SpeechProbability(residual.Samples);
        var micDb = Dbfs(mic.Samples);
        var residualDb = Dbfs(residual.Samples);
        var echoSpanStart = Index(residual.Start) - (_canceller?.Taps ?? 0) + _leadSamples;
        var echoSpanEnd = Index(residual.End) + _leadSamples;
        var echoActive = _canceller is not null && _reference.Peak(echoSpanStart, echoSpanEnd) > ReferenceActivity;

        // Cautious too while a new stream's placement is searched: until it is found, the
        // canceller may be removing little of the echo while its own measure says otherwise.
        _echoGate.Settling = Index(residual.Start) < _settleUntil || _keepingPath;
        var gated = residualDb < _settings.SilenceFloorDbfs
            || Index(residual.Start) < _referenceMissingUntil
            || (_settings.Mode == MicrophoneMode.PushToTalk && !_talkHeld)
            || (echoActive && (residualDb < _settings.EchoFloorDbfs
                || !_echoGate.MayBeUser(new EchoWindowLevels(micDb, residualDb, LoudestReferenceDb(echoSpanStart, echoSpanEnd)))));
        var step = _segmenter.Step(residual.Start, residual.End, gated ? 0f : probability);
        _lastWindowEnd = residual.End;
        if (includeWindows)
            events.Add(new WindowScored(residual.Start, residual.End, probability, step.Speech, micDb, residualDb, echoActive, gated));

        if (step.Onset) events.Add(new SpeechBegan(step.SegmentStart, step.WindowEnd));
        if (_bargeIn.Observe(step) is { } decision) events.Add(new BargeInDecided(decision));
        if (step.Offset)
        {
            events.Add(new SpeechFinished(step.SegmentStart, step.SegmentEnd, step.WindowEnd));
            if (Utterance(step) is { } utterance) events.Add(utterance);
        }
    }

    private UtteranceReady? Utterance(SegmentStep step)
    {
        if (step.SegmentEnd - step.SegmentStart < _settings.MinSpeech) return null;
        var from = step.SegmentStart - _settings.SpeechPadding;
        var to = step.SegmentEnd + _settings.SpeechPadding;
        var samples = _utterances.Cut(from < TimeSpan.Zero ? TimeSpan.Zero : from, to);
        // Whisper invents words ("Thank you.") on near-silence: such audio never leaves here.
        if (samples.Length == 0 || Pcm16.RmsDbfs(samples) < _settings.SilenceFloorDbfs) return null;
        return new UtteranceReady(samples, from, to, step.WindowEnd);
    }

    /// <summary>The loudest model-window-sized piece of reference in [from, to), in dBFS.</summary>
    private double LoudestReferenceDb(long from, long to)
    {
        var size = _model.WindowSamples;
        var piece = new float[size];
        var loudest = -180.0;
        for (var start = from; start < to; start += size / 2)
        {
            _reference.Read(start, piece);
            loudest = Math.Max(loudest, Dbfs(piece));
        }
        return loudest;
    }

    private static double Dbfs(ReadOnlySpan<float> samples)
    {
        double sum = 0;
        foreach (var s in samples) sum += (double)s * s;
        var rms = Math.Sqrt(sum / Math.Max(1, samples.Length));
        return rms <= 1e-9 ? -180 : 20 * Math.Log10(rms);
    }

    private static long Index(TimeSpan time) => (long)Math.Round(time.TotalSeconds * SampleRate);

    public void Dispose() => _model.Dispose();

    private sealed record HeldFrame(short[] Samples, TimeSpan Position, bool IncludeWindows);
}

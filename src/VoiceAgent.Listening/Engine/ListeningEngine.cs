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
    private readonly FrequencyDomainEchoCanceller? _canceller;
    private readonly ReferenceTimeline _reference = new();
    private readonly ReferenceAligner _aligner = new(SampleRate);
    private readonly UtteranceBuffer _utterances;
    private readonly EchoGate _echoGate;
    private readonly CouplingMeter _coupling = new();
    private readonly int _leadSamples;
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
        _bargeIn = new BargeInStateMachine(settings.BargeInMinSpeech, settings.BargeInResumeAfter, settings.BargeInEnabled, settings.VadThreshold);
        _utterances = new UtteranceBuffer(SampleRate, UtteranceHistory);
        _echoGate = new EchoGate(settings.EchoDominanceDb);
        _leadSamples = Pcm16.SamplesFor(settings.EchoLead, SampleRate);
        if (settings.Mode == MicrophoneMode.Speaker)
            _canceller = new FrequencyDomainEchoCanceller(Math.Max(FrequencyDomainEchoCanceller.DefaultBlock, Pcm16.SamplesFor(settings.EchoFilterLength, SampleRate)), settings.EchoStep);
    }

    public MicrophoneMode Mode => _settings.Mode;

    public bool TalkHeld => _talkHeld;

    public TurnId SpeakingTurn => _bargeIn.SpeakingTurn;

    public EchoGate EchoGate => _echoGate;

    public ReadOnlySpan<float> EchoPath => _canceller is null ? ReadOnlySpan<float>.Empty : _canceller.Weights;

    /// <summary>Audio that was played, already at 16 kHz, whose first sample reaches the
    /// listener at capture-clock time <paramref name="heardAt"/>; <paramref name="continues"/>
    /// when the device plays it right after the previous piece (see <see cref="ReferenceAligner"/>).</summary>
    public void AddReference(ReadOnlySpan<short> samples, TimeSpan heardAt, bool continues = false)
    {
        if (_canceller is null) return;
        var floats = new float[samples.Length];
        for (var i = 0; i < floats.Length; i++) floats[i] = Pcm16.ToFloat(samples[i]);
        _reference.Write(_aligner.Place(Index(heardAt), floats.Length, continues), floats);
    }

    /// <summary>The wall-clock-to-capture mapping improved: time stamps of played audio now map
    /// <paramref name="later"/> later than before for the same moment.</summary>
    public void CaptureClockMoved(TimeSpan later) => _aligner.StampsShifted(Pcm16.SamplesFor(later, SampleRate));

    /// <summary>The device dropped its audio at capture-clock time <paramref name="from"/>:
    /// reference announced after it was never heard.</summary>
    public void CutReference(TimeSpan from)
    {
        if (_canceller is null) return;
        _reference.Cut(Index(from));
        _aligner.Cut();
    }

    public void AgentSpeaking(TurnId turn) => _bargeIn.AgentSpeaking(turn);

    public IReadOnlyList<ListeningEvent> AgentSilent(TurnId turn)
    {
        var decision = _bargeIn.AgentSilent(turn, _lastWindowEnd);
        return decision is { } d ? [new BargeInDecided(d)] : [];
    }

    /// <summary>Push-to-talk: whether the talk key is held. Ignored in other modes.</summary>
    public void SetTalkHeld(bool held) => _talkHeld = held;

    /// <summary>Processes one capture frame (16 kHz mono) whose first sample is at <paramref name="position"/>.</summary>
    public IReadOnlyList<ListeningEvent> Process(ReadOnlySpan<short> frame, TimeSpan position, bool includeWindows = false)
    {
        var first = Index(position);
        var mic = new float[frame.Length];
        for (var i = 0; i < mic.Length; i++) mic[i] = Pcm16.ToFloat(frame[i]);
        var residual = (float[])mic.Clone();

        if (_canceller is not null)
        {
            var reference = new float[frame.Length];
            _reference.Read(first + _leadSamples, reference);
            var farEndActive = _reference.Peak(first - _canceller.Taps + _leadSamples, first + frame.Length + _leadSamples) > ReferenceActivity;
            // While the user talks the filter would learn their voice as echo; the canceller
            // also spots double talk itself, block by block.
            _canceller.Freeze = !farEndActive || _segmenter.InSpeech;
            _canceller.Process(reference, residual);
            _echoGate.CancellerErleDb = _canceller.EchoReductionDb;
            if (farEndActive) MeasureCoupling(first, mic);
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

    /// <summary>Feeds the coupling meter with this frame at the echo path's main delay, and hands
    /// its measurement to the gate.</summary>
    private void MeasureCoupling(long first, float[] mic)
    {
        // The main delay moves rarely; finding it takes the filter into the time domain.
        if (_framesSinceMainTap++ % MainTapEveryFrames == 0) _mainTap = CouplingMeter.StrongestTap(_canceller!.Weights);
        var mainTap = _mainTap;
        // Tap k pairs microphone sample n with the reference at n + lead - k.
        var reference = new float[mic.Length];
        _reference.Read(first + _leadSamples - mainTap, reference);
        _coupling.Add(mic, reference, mainTap);
        _echoGate.MeasuredCouplingDb = _coupling.CouplingDb;
    }

    private void Score(AudioWindow residual, AudioWindow mic, List<ListeningEvent> events, bool includeWindows)
    {
        var probability = _model.SpeechProbability(residual.Samples);
        var micDb = Dbfs(mic.Samples);
        var residualDb = Dbfs(residual.Samples);
        var echoSpanStart = Index(residual.Start) - (_canceller?.Taps ?? 0) + _leadSamples;
        var echoSpanEnd = Index(residual.End) + _leadSamples;
        var echoActive = _canceller is not null && _reference.Peak(echoSpanStart, echoSpanEnd) > ReferenceActivity;

        var gated = residualDb < _settings.SilenceFloorDbfs
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
}

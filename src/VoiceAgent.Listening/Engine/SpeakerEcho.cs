using VoiceAgent.Dsp;
using VoiceAgent.Listening.Echo;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Listening.Engine;

/// <summary>
/// The agent's own voice on its way back into the microphone (speaker mode), on the capture
/// clock: the played audio placed where it is heard, the echo canceller that removes its echo,
/// the lining up of that reference with the echo, and the measurements the
/// <see cref="EchoGate"/> decides with. Positions are capture-clock sample indexes; the
/// reference is read <c>lead</c> samples ahead of the microphone, so that a stamp a little late
/// still leaves the filter its echo.
/// </summary>
internal sealed class SpeakerEcho
{
    private const int SampleRate = ListeningEngine.SampleRate;
    // Reference quieter than this (about -54 dBFS peak) is not worth cancelling.
    private const float ReferenceActivity = 0.002f;
    // How often the echo path's main delay is looked up again (20 ms frames).
    private const int MainTapEveryFrames = 5;

    private readonly FrequencyDomainEchoCanceller _canceller;
    private readonly ReferenceTimeline _reference = new();
    private readonly ReferenceAligner _aligner = new(SampleRate);
    private readonly EchoGate _gate;
    private readonly CouplingMeter _coupling = new();
    private readonly EchoAlignmentTracker _alignment = new();
    private readonly int _leadSamples;
    private readonly long _maxReferenceWaitSamples = Pcm16.SamplesFor(ListeningEngine.MaxReferenceWait, SampleRate);
    private readonly long _wideSearchSamples = Pcm16.SamplesFor(ListeningEngine.WideSearchLimit, SampleRate);
    private readonly long _settleSamples = Pcm16.SamplesFor(ListeningEngine.NewStreamSettling, SampleRate);
    private bool _referenceCut;
    private long _settleUntil = long.MinValue;
    private long _alignHoldUntil = long.MinValue;
    // Where the newest stream of played audio was placed, until the frames with its echo come.
    private long? _newStreamAt;
    private long _keepPathUntil = long.MinValue;
    private long _farMoveTakesEffect = long.MinValue;
    private bool _keepingPath;
    private int _mainTap;
    private int _framesSinceMainTap;

    public SpeakerEcho(ListeningSettings settings, EchoGate gate)
    {
        _gate = gate;
        _leadSamples = Pcm16.SamplesFor(settings.EchoLead, SampleRate);
        _canceller = new FrequencyDomainEchoCanceller(Math.Max(FrequencyDomainEchoCanceller.DefaultBlock, Pcm16.SamplesFor(settings.EchoFilterLength, SampleRate)), settings.EchoStep);
    }

    public ReadOnlySpan<float> Weights => _canceller.Weights;

    /// <summary>Times the reference was moved to match the echo.</summary>
    public long Realignments { get; private set; }

    /// <summary>How long after it was played the echo reaches the microphone (its main delay), in samples.</summary>
    public int EchoDelaySamples => Math.Max(0, _mainTap - _leadSamples);

    /// <summary>Played audio whose first sample is heard at <paramref name="heardAt"/>.</summary>
    public void Add(float[] samples, long heardAt, bool continues)
    {
        var endBefore = _reference.End;
        var placedAt = _aligner.Place(heardAt, samples.Length, continues);
        _reference.Write(placedAt, samples);
        // A new stream: placed by its stamp, lined up by the echo only once it is heard.
        if (placedAt != endBefore)
        {
            _settleUntil = Math.Max(_settleUntil, placedAt + _mainTap - _leadSamples + _settleSamples);
            _gate.NewStreamPlaced();
            // Its placement is searched from where its echo begins: before that the microphone
            // still hears the previous stream (or nothing), which says nothing about this one.
            _newStreamAt = placedAt;
        }
        _referenceCut = false;
    }

    /// <summary>Stamps of played audio now map <paramref name="later"/> samples later than before.</summary>
    public void StampsShifted(long later) => _aligner.StampsShifted(later);

    /// <summary>Reference announced from <paramref name="from"/> on was never heard.</summary>
    public void Cut(long from)
    {
        _reference.Cut(from);
        _aligner.Cut();
        _referenceCut = true;
    }

    /// <summary>Whether the reference for a frame ending at <paramref name="frameEnd"/> is still
    /// to come: it was not cut, and what was written so far stops a little short of the frame (a
    /// reference that stopped long before means the audio has ended, or not begun).</summary>
    public bool AwaitsReference(long frameEnd)
    {
        if (_referenceCut || _reference.End == 0) return false;
        var needed = frameEnd + _leadSamples;
        return _reference.End < needed && needed - _reference.End <= _maxReferenceWaitSamples;
    }

    /// <summary>The stretch of reference whose echo can be in microphone samples [from, to).</summary>
    public (long From, long To) EchoSpan(long from, long to) => (from - _canceller.Taps + _leadSamples, to + _leadSamples);

    /// <summary>Whether played audio in <paramref name="span"/> is loud enough to echo.</summary>
    public bool Plays((long From, long To) span) => _reference.Peak(span.From, span.To) > ReferenceActivity;

    /// <summary>Whether the gate should stay cautious for a window starting at <paramref name="start"/>:
    /// a new stream's echo has just begun, or its placement is still searched (until it is found,
    /// the canceller may be removing little of the echo while its own measure says otherwise).</summary>
    public bool Settling(long start) => start < _settleUntil || _keepingPath;

    /// <summary>Removes the echo from the frame at <paramref name="first"/>: <paramref name="residual"/>
    /// (a copy of <paramref name="mic"/>) becomes what is left.</summary>
    /// <param name="referenceMissing">The frame's reference never came: nothing is learned from it.</param>
    /// <param name="userSpeaking">A speech segment is open: the filter would learn the voice as echo.</param>
    public void Cancel(long first, float[] mic, float[] residual, bool referenceMissing, bool userSpeaking)
    {
        var reference = new float[mic.Length];
        _reference.Read(first + _leadSamples, reference);
        var farEndActive = Plays(EchoSpan(first, first + mic.Length));
        if (_newStreamAt is { } placed && first + mic.Length > placed + _mainTap - _leadSamples) NewStreamHeard(first);
        // The search has its time (the filter keeps its path meanwhile); later, what it would
        // find is the filter relearning, or the room's reflections.
        if (_alignment.Searching && first >= _keepPathUntil) _alignment.StopSearching();
        // While the user talks the filter would learn their voice as echo; the canceller
        // also spots double talk itself, block by block. While a new stream's placement is
        // searched (and until a move found there takes effect) it would learn the echo path
        // at the wrong delay, and the search would then find two.
        var keepPath = _keepingPath = first < _keepPathUntil && (_alignment.Searching || first < _farMoveTakesEffect);
        _canceller.Freeze = !farEndActive || referenceMissing || userSpeaking || keepPath;
        _canceller.Process(reference, residual);
        _gate.CancellerErleDb = _canceller.EchoReductionDb;
        // Lined up only while the canceller explains the echo now (the gate's hold on its
        // convergence would let a user's voice move the reference), or right after a new
        // stream, whose placement may be off far enough that the canceller explains little.
        if (farEndActive && !referenceMissing && first >= _alignHoldUntil
            && (_canceller.EchoReductionDb >= EchoGate.ConvergedErleDb || _alignment.Searching))
            Realign(first + mic.Length + _leadSamples, mic, residual);
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

    /// <summary>The frames with the echo of a new stream of played audio begin: if the filter
    /// removed the last stream's echo well, its estimate shows where this one's is, so the
    /// placement is searched from here (see <see cref="EchoAlignmentTracker"/>) and the filter
    /// keeps its path meanwhile, for at most <see cref="ListeningEngine.WideSearchLimit"/>. A
    /// filter that did not (still converging, or lined up with stamps that were far off) just
    /// goes on learning: on PulseAudio its own measure claimed 30 dB while it removed nothing,
    /// and searching with it (and keeping its path) paused one reply 44 times.</summary>
    private void NewStreamHeard(long first)
    {
        _alignment.NewStream();
        _newStreamAt = null;
        var pathKnown = _canceller.RemovalDb >= ListeningEngine.PathKnownRemovalDb;
        if (!pathKnown) _alignment.StopSearching();
        _keepPathUntil = pathKnown ? first + _wideSearchSamples : long.MinValue;
    }

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
        _gate.ReferenceRealigned();
        Realignments++;
    }

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
        _gate.MeasuredCouplingDb = _canceller.EchoReductionDb > 0 ? _coupling.CouplingDb : null;
    }

    /// <summary>The loudest piece of reference of <paramref name="size"/> samples in <paramref name="span"/>, in dBFS.</summary>
    public double LoudestReferenceDb((long From, long To) span, int size)
    {
        var piece = new float[size];
        var loudest = -180.0;
        for (var start = span.From; start < span.To; start += size / 2)
        {
            _reference.Read(start, piece);
            loudest = Math.Max(loudest, Pcm16.RmsDbfs(piece));
        }
        return loudest;
    }
}

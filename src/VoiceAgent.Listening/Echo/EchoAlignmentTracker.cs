namespace VoiceAgent.Listening.Echo;

/// <summary>
/// Keeps the echo reference aligned to the sample, from the audio itself. A new stream of played
/// audio (a reply, a resume after a pause, playback after the device ran dry) is placed by its
/// time stamp, and a stamp one sample off is enough to halve what a converged canceller removes
/// (at 3 kHz one sample is a fifth of a period): the residual echo then passes for the user, and
/// every pause it causes starts another new stream. The canceller's echo estimate is the echo
/// as the learned path predicts it from the reference; if the reference sits <c>d</c> samples
/// late, the microphone matches the estimate <c>d</c> samples ahead. So while the echo dominates
/// the microphone, the cross-correlation between the two is summed over neighbouring lags, and a
/// clear peak away from lag 0 says how far to move the reference.
/// <para>
/// Within a stream only a few samples either way are searched (<c>maxLag</c>): the echo path does
/// not jump, and a wider search there, on a real audio server, moved the reference more often
/// wrongly than rightly. Right after a new stream the search is wide (<c>wideLag</c>, 40 ms):
/// PulseAudio's latency figure placed streams resumed after a flush 7–162 samples (up to 10 ms)
/// from their echo, and a stream after the device ran dry 638 samples (40 ms); the canceller
/// then removed 3–5 dB, and the residual paused the reply again, resume after resume. The wide
/// search looks at up to 150 ms of echo, and moves the reference only to a peak where the
/// estimate explains the microphone well and no other lag comes close: voiced speech repeats
/// every pitch period, and a peak a period or two from the truth is what a short look can show.
/// </para>
/// </summary>
public sealed class EchoAlignmentTracker
{
    // The estimate must carry at least this share of the microphone's energy: echo, not a user.
    private const double EchoDominance = 0.5;
    // The peak must beat lag 0 by this fraction of the window's energy to count.
    private const double Clearness = 2e-3;
    // A wide shift: the estimate at the peak must explain the microphone this well (normalized
    // correlation), and beat lag 0 by this much of it. Measured on PulseAudio, a resumed stream
    // 162 samples off: 0.86 at the peak.
    private const double WideCorrelation = 0.6;
    private const double WideClearness = 0.2;
    // Lags this close to the best belong to its peak; any other lag within this share of it
    // makes the wide look ambiguous.
    private const int SamePeak = 16;
    private const double Ambiguity = 0.8;
    private const float Emphasis = 0.95f;

    private readonly int _maxLag;
    private readonly int _wideLag;
    private readonly int _windowSamples;
    private readonly double[] _correlation;
    private float[] _mic = new float[4 * 1024];
    private float[] _estimate = new float[4 * 1024];
    // Samples held in the two buffers, and how many of the microphone's have been looked at. A
    // sample is looked at once the estimate is known WideLag samples either side of it.
    private int _held;
    private int _looked;
    private double _micEnergy;
    private double _estimateEnergy;
    private int _samples;
    private int _candidate;
    private int _trustedWindows;
    private bool _searching;
    private float _lastMic;
    private float _lastEstimate;

    /// <param name="maxLag">How far either way the placement is searched within a stream.</param>
    /// <param name="wideLag">How far either way a new stream's placement is searched.</param>
    /// <param name="windowSamples">Echo-dominated samples summed before a decision.</param>
    public EchoAlignmentTracker(int maxLag = 3, int wideLag = 640, int windowSamples = 800)
    {
        _maxLag = maxLag;
        _wideLag = Math.Max(maxLag, wideLag);
        _windowSamples = windowSamples;
        _correlation = new double[2 * _wideLag + 1];
        _looked = _wideLag;
    }

    public int MaxLag => _maxLag;

    /// <summary>How far either way a new stream's placement is searched.</summary>
    public int WideLag => _wideLag;

    /// <summary>Whether a new stream's placement is still being searched widely. Meanwhile the
    /// canceller's own measure says little (it collapses when the reference is off), so the
    /// engine feeds the tracker regardless of it.</summary>
    public bool Searching => _searching;

    /// <summary>Adds a frame: the microphone and the canceller's echo estimate for it. The frame
    /// is looked at once the estimate is known <see cref="WideLag"/> samples after it. Returns how many
    /// samples earlier the reference should be placed (negative: later), or 0; after a shift the
    /// tracker starts over, as the reference it saw is no longer where it was.</summary>
    public int Add(ReadOnlySpan<float> microphone, ReadOnlySpan<float> estimate)
    {
        Append(microphone, estimate);
        var span = _held - _wideLag - _looked;
        if (span <= 0) return 0;
        var from = _looked;
        _looked += span;
        var shift = Correlate(from, span);
        if (shift != 0) StartOver(wide: Math.Abs(shift) > _maxLag);
        return shift;
    }

    private void Append(ReadOnlySpan<float> microphone, ReadOnlySpan<float> estimate)
    {
        // Keep only what a look still needs: WideLag samples of estimate before the next one.
        var keepFrom = _looked - _wideLag;
        if (keepFrom > 0 && _held + microphone.Length > _mic.Length)
        {
            Array.Copy(_mic, keepFrom, _mic, 0, _held - keepFrom);
            Array.Copy(_estimate, keepFrom, _estimate, 0, _held - keepFrom);
            _held -= keepFrom;
            _looked -= keepFrom;
        }
        if (_held + microphone.Length > _mic.Length)
        {
            Array.Resize(ref _mic, 2 * (_held + microphone.Length));
            Array.Resize(ref _estimate, _mic.Length);
        }
        _lastMic = Emphasize(microphone, _lastMic, _mic.AsSpan(_held));
        _lastEstimate = Emphasize(estimate, _lastEstimate, _estimate.AsSpan(_held));
        _held += microphone.Length;
    }

    private int Correlate(int from, int length)
    {
        var mic = _mic.AsSpan(from, length);
        var estimate = _estimate.AsSpan(from, length);
        double micEnergy = Dot(mic, mic), estimateEnergy = Dot(estimate, estimate);
        // Only stretches where the estimate explains most of the microphone teach anything.
        if (micEnergy <= 1e-9 || estimateEnergy < EchoDominance * micEnergy) return 0;
        var lags = Searching ? _wideLag : _maxLag;
        for (var lag = -lags; lag <= lags; lag++)
            _correlation[lag + _wideLag] += Dot(mic, _estimate.AsSpan(from + lag, length));
        _micEnergy += micEnergy;
        _estimateEnergy += estimateEnergy;
        _samples += length;
        // Within a stream a window decides and starts over; the wide search looks again at every
        // window's end, over everything since the stream's echo began.
        var windowEnded = (_samples - length) / _windowSamples < _samples / _windowSamples;
        if (Searching ? !windowEnded && _samples < WideWindowSamples : _samples < _windowSamples) return 0;

        var best = 0;
        for (var lag = -lags; lag <= lags; lag++)
            if (_correlation[lag + _wideLag] > _correlation[best + _wideLag]) best = lag;
        var runnerUp = double.MinValue;
        for (var lag = -lags; lag <= lags; lag++)
            if (Math.Abs(lag - best) > SamePeak) runnerUp = Math.Max(runnerUp, _correlation[lag + _wideLag]);
        var scale = Math.Sqrt(_micEnergy * _estimateEnergy);
        var peak = _correlation[best + _wideLag] / scale;
        var margin = (_correlation[best + _wideLag] - _correlation[_wideLag]) / scale;
        var unique = runnerUp < Ambiguity * _correlation[best + _wideLag];
        if (Searching) return Wide(best, peak, margin, unique);
        ResetSums();
        return Confirmed(margin > Clearness ? best : 0);
    }

    /// <summary>A look of the wide search after a new stream, at every window of echo, each over
    /// all the echo since the stream's began, up to <see cref="WideWindowSamples"/>. A peak
    /// within <c>maxLag</c> hands over to the near rules (the placement is close). A far peak
    /// moves the reference only when the estimate explains the microphone well there and no
    /// other lag (beyond the peak's own width) comes close: a synthetic voice's steady pitch
    /// makes peaks a few periods apart nearly as high (seen: 0.86 at 321 samples from the truth
    /// in one 50 ms window), so an ambiguous look waits for the next. A look where the estimate
    /// explains the microphone poorly at every lag, or no clear peak by the last, ends the search:
    /// the placement is not what can be fixed here (or the echo path itself changed), and the
    /// canceller, which keeps its path while the search runs, learns again.</summary>
    private int Wide(int best, double peak, double margin, bool unique)
    {
        var near = Math.Abs(best) <= _maxLag;
        var strong = peak >= WideCorrelation && margin >= WideClearness;
        // Ambiguous: the next look, over more echo, may tell the peaks apart.
        if (!near && strong && !unique && _samples < WideWindowSamples) return 0;
        StopSearching();
        if (near) return Confirmed(margin > Clearness ? best : 0);
        return strong && unique ? best : 0;
    }

    /// <summary>Ends a wide search that has not found anything in its time; the near rules go on.</summary>
    public void StopSearching()
    {
        if (!_searching) return;
        _searching = false;
        ResetSums();
    }

    /// <summary>Right after a new stream (<see cref="NewStream"/>) the placement is a guess from a
    /// time stamp, and the first clear near shift is taken at once: an echo left a sample off is
    /// what makes echo pauses. Later, within a stream that was lined up, the echo path does not
    /// jump, so a shift counts only when two windows in a row find it: a user's voice mixed into
    /// the echo (the breath before a word over quiet echo) makes a peak at a random lag once.
    /// Moving the reference for that was measured at the user's onset on a busy machine: the
    /// move made the gate cautious for half a second and held the user back 420–1140 ms.</summary>
    private int Confirmed(int found)
    {
        var trusted = _trustedWindows > 0;
        if (_trustedWindows > 0) _trustedWindows--;
        if (trusted && found != 0)
        {
            _trustedWindows = 0;
            return found;
        }
        var agreed = found != 0 && found == _candidate;
        _candidate = agreed ? 0 : found;
        return agreed ? found : 0;
    }

    /// <summary>Windows after a new stream whose near shift is taken at once: about the engine's
    /// settling time for a new stream (200 ms), during which the gate is cautious anyway.</summary>
    public const int TrustedWindowsAfterNewStream = 4;

    /// <summary>Echo-dominated samples the wide search looks at, at most: 150 ms, three windows.</summary>
    public const int WideWindowSamples = 2400;

    /// <summary>A new stream of played audio, placed by its time stamp: forgets everything (as
    /// <see cref="Reset"/>), searches its placement widely, and takes the first clear near shift
    /// of the next few windows at once.</summary>
    public void NewStream()
    {
        Reset();
        _trustedWindows = TrustedWindowsAfterNewStream;
        _searching = true;
    }

    /// <summary>After a shift: what was seen belongs to the old placement. A wide shift is
    /// usually right to a sample or two, so a near one may follow at once.</summary>
    private void StartOver(bool wide)
    {
        Reset();
        if (wide) _trustedWindows = TrustedWindowsAfterNewStream;
    }

    /// <summary>Pre-emphasis (a first difference): speech's energy sits low, where a sample of
    /// misalignment hardly shows; what is left after it carries the high frequencies, where it
    /// does, and the correlation peaks sharply. Returns the last raw sample.</summary>
    private static float Emphasize(ReadOnlySpan<float> samples, float previous, Span<float> emphasized)
    {
        for (var i = 0; i < samples.Length; i++)
        {
            emphasized[i] = samples[i] - Emphasis * previous;
            previous = samples[i];
        }
        return previous;
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var width = System.Numerics.Vector<float>.Count;
        var sum = System.Numerics.Vector<float>.Zero;
        var i = 0;
        for (; i <= a.Length - width; i += width)
            sum += new System.Numerics.Vector<float>(a[i..]) * new System.Numerics.Vector<float>(b[i..]);
        var total = System.Numerics.Vector.Sum(sum);
        for (; i < a.Length; i++) total += a[i] * b[i];
        return total;
    }

    /// <summary>Forgets the sums (the reference just moved, or a new stream began) and any search
    /// in progress; what comes next is looked at from the next frame on. The samples held stay,
    /// as the context that frame's lags reach back into.</summary>
    public void Reset()
    {
        ResetSums();
        _candidate = 0;
        _trustedWindows = 0;
        _searching = false;
        _looked = Math.Max(_held, _wideLag);
    }

    private void ResetSums()
    {
        Array.Clear(_correlation);
        _micEnergy = _estimateEnergy = 0;
        _samples = 0;
    }
}

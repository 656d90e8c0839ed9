namespace VoiceAgent.Listening.Echo;

/// <summary>
/// Keeps the echo reference aligned to the sample, from the audio itself. A new stream of played
/// audio (a reply, a resume after a pause, playback after the device ran dry) is placed by its
/// time stamp, and a stamp one sample off is enough to halve what a converged canceller removes
/// (at 3 kHz one sample is a fifth of a period): the residual echo then passes for the user, and
/// every pause it causes starts another new stream. The canceller's echo estimate is the echo
/// as the learned path predicts it from the reference; if the reference sits <c>d</c> samples
/// late, the microphone matches the estimate <c>d</c> samples ahead. So while the echo dominates
/// the microphone, the cross-correlation between the two is summed over a few neighbouring lags,
/// and a clear peak away from lag 0 says how far to move the reference. Only a few samples either
/// way are searched: that is what stamps miss by in the virtual room, and a wider search on a real
/// audio server (PulseAudio, stamps off by milliseconds and jittering) moved the reference more
/// often wrongly than rightly.
/// </summary>
public sealed class EchoAlignmentTracker(int maxLag = 3, int windowSamples = 800)
{
    // The estimate must carry at least this share of the microphone's energy: echo, not a user.
    private const double EchoDominance = 0.5;
    // The peak must beat lag 0 by this fraction of the window's energy to count.
    private const double Clearness = 2e-3;
    private const float Emphasis = 0.95f;

    private readonly double[] _correlation = new double[2 * maxLag + 1];
    private double _micEnergy;
    private double _estimateEnergy;
    private int _samples;
    private float[] _previousMic = [];
    private float[] _previousEstimate = [];
    private readonly float[] _before = new float[maxLag];
    private float[] _around = [];
    private int _candidate;
    private int _trustedWindows;
    private float _lastMic;
    private float _lastEstimate;

    public int MaxLag => maxLag;

    /// <summary>Adds a frame: the microphone and the canceller's echo estimate for it. Frames are
    /// looked at one behind, so that the estimate on both sides of each is known. Returns how
    /// many samples earlier the reference should be placed (negative: later), or 0.</summary>
    public int Add(ReadOnlySpan<float> microphone, ReadOnlySpan<float> estimate)
    {
        var shift = 0;
        if (_around.Length < microphone.Length + 2 * maxLag) _around = new float[microphone.Length + 2 * maxLag];
        if (_previousMic.Length == microphone.Length && estimate.Length >= maxLag)
            shift = Correlate(Emphasize(estimate[..maxLag], _lastEstimate));
        // Slide: the last samples of the previous estimate become the context before the next.
        if (_previousEstimate.Length >= maxLag) _previousEstimate.AsSpan(_previousEstimate.Length - maxLag).CopyTo(_before);
        _previousMic = Emphasize(microphone, _lastMic);
        _previousEstimate = Emphasize(estimate, _lastEstimate);
        _lastMic = microphone[^1];
        _lastEstimate = estimate[^1];
        return shift;
    }

    private int Correlate(ReadOnlySpan<float> after)
    {
        var mic = _previousMic;
        var estimate = _previousEstimate;
        double micEnergy = 0, estimateEnergy = 0;
        for (var i = 0; i < mic.Length; i++)
        {
            micEnergy += mic[i] * (double)mic[i];
            estimateEnergy += estimate[i] * (double)estimate[i];
        }
        // Only frames where the estimate explains most of the microphone teach anything.
        if (micEnergy <= 1e-9 || estimateEnergy < EchoDominance * micEnergy) return 0;
        // The estimate around the frame, maxLag samples either side, in one span.
        var around = _around.AsSpan(0, estimate.Length + 2 * maxLag);
        _before.CopyTo(around);
        estimate.CopyTo(around[maxLag..]);
        after.CopyTo(around[(maxLag + estimate.Length)..]);
        for (var lag = -maxLag; lag <= maxLag; lag++)
            _correlation[lag + maxLag] += Dot(mic, around.Slice(maxLag + lag, mic.Length));
        _micEnergy += micEnergy;
        _estimateEnergy += estimateEnergy;
        _samples += mic.Length;
        if (_samples < windowSamples) return 0;

        var best = 0;
        for (var lag = -maxLag; lag <= maxLag; lag++)
            if (_correlation[lag + maxLag] > _correlation[best + maxLag]) best = lag;
        var margin = _correlation[best + maxLag] - _correlation[maxLag];
        var clear = margin > Clearness * Math.Sqrt(_micEnergy * _estimateEnergy);
        ResetSums();
        return Confirmed(clear ? best : 0);
    }

    /// <summary>Right after a new stream (<see cref="NewStream"/>) the placement is a guess from a
    /// time stamp, and the first clear shift is taken at once: an echo left a sample off is what
    /// makes echo pauses. Later, within a stream that was lined up, the echo path does not jump,
    /// so a shift counts only when two windows in a row find it: a user's voice mixed into the
    /// echo (the breath before a word over quiet echo) makes a peak at a random lag once. Moving
    /// the reference for that was measured at the user's onset on a busy machine: the move made
    /// the gate cautious for half a second and held the user back 420–1140 ms.</summary>
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

    /// <summary>Windows after a new stream whose shift is taken at once: about the engine's
    /// settling time for a new stream (200 ms), during which the gate is cautious anyway.</summary>
    public const int TrustedWindowsAfterNewStream = 4;

    /// <summary>A new stream of played audio, placed by its time stamp: forgets everything (as
    /// <see cref="Reset"/>) and takes the first clear shift of the next few windows at once.</summary>
    public void NewStream()
    {
        Reset();
        _trustedWindows = TrustedWindowsAfterNewStream;
    }

    /// <summary>Pre-emphasis (a first difference): speech's energy sits low, where a sample of
    /// misalignment hardly shows; what is left after it carries the high frequencies, where it
    /// does, and the correlation peaks sharply.</summary>
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

    private static float[] Emphasize(ReadOnlySpan<float> samples, float previous)
    {
        var emphasized = new float[samples.Length];
        for (var i = 0; i < samples.Length; i++)
        {
            emphasized[i] = samples[i] - Emphasis * previous;
            previous = samples[i];
        }
        return emphasized;
    }

    /// <summary>Forgets the sums and the frame held back (the reference just moved, or a new
    /// stream began).</summary>
    public void Reset()
    {
        ResetSums();
        _candidate = 0;
        _trustedWindows = 0;
        _previousMic = [];
        _previousEstimate = [];
        Array.Clear(_before);
        _lastMic = _lastEstimate = 0;
    }

    private void ResetSums()
    {
        Array.Clear(_correlation);
        _micEnergy = _estimateEnergy = 0;
        _samples = 0;
    }
}

namespace VoiceAgent.Listening.Echo;

/// <summary>
/// Measures the speaker-to-microphone coupling directly, fast and independent of how well the
/// canceller has converged: the least-squares gain between the microphone and the reference at
/// the echo path's main delay (the canceller's strongest tap, which it finds long before its other
/// taps settle). Reflections add some energy beyond the main path; the gate allows for that.
/// Sums decay so that a changed room is followed within seconds. Speech of the user is not
/// correlated with the reference, so it barely moves the estimate.
/// <para>
/// Until the canceller has settled on the main delay, a measurement at its strongest tap reads a
/// wrong delay and underestimates the echo, which would open the gate to the agent's own voice.
/// So the measurement starts over whenever that tap moves, and counts only once it has held
/// still for a while.
/// </para>
/// </summary>
public sealed class CouplingMeter
{
    private const double Forgetting = 0.985;          // per 20 ms frame: a memory of about 1.3 s
    private const double MinimumReferenceEnergy = 5;  // sum of squares (floats) before trusting it: ~0.3 s of -20 dBFS

    private const int MainTapTolerance = 2;           // samples the main delay may wander and still be the same
    private const int MainTapSteadyFrames = 20;       // 0.4 s of frames at one main delay before a measurement counts

    private double _crossSum;
    private double _referenceEnergy;
    private double? _measuredDb;
    private int _mainTap = -1;
    private int _mainTapSteadyFrames;

    /// <summary>The echo path's gain in dB, or null until enough reference has been heard at a
    /// main delay that held still.</summary>
    public double? CouplingDb => _mainTapSteadyFrames >= MainTapSteadyFrames ? _measuredDb : null;

    /// <param name="microphone">A frame of microphone samples.</param>
    /// <param name="reference">The reference aligned to the main delay: reference[i] is what was
    /// played one echo delay before microphone[i].</param>
    /// <param name="mainTap">The main delay the reference was aligned to (the canceller's strongest tap).</param>
    public void Add(ReadOnlySpan<float> microphone, ReadOnlySpan<float> reference, int mainTap)
    {
        if (Math.Abs(mainTap - _mainTap) > MainTapTolerance)
        {
            _mainTap = mainTap;
            _mainTapSteadyFrames = 0;
            _crossSum = 0;
            _referenceEnergy = 0;
            _measuredDb = null;
        }
        _mainTapSteadyFrames++;
        double cross = 0, energy = 0;
        for (var i = 0; i < microphone.Length; i++)
        {
            cross += (double)microphone[i] * reference[i];
            energy += (double)reference[i] * reference[i];
        }
        _crossSum = _crossSum * Forgetting + cross;
        _referenceEnergy = _referenceEnergy * Forgetting + energy;
        if (_referenceEnergy < MinimumReferenceEnergy) return;

        var gain = Math.Abs(_crossSum / _referenceEnergy);
        _measuredDb = gain > 1e-6 ? 20 * Math.Log10(gain) : -120;
    }

    public static int StrongestTap(ReadOnlySpan<float> weights)
    {
        var best = 0;
        for (var i = 1; i < weights.Length; i++)
            if (Math.Abs(weights[i]) > Math.Abs(weights[best])) best = i;
        return best;
    }
}

using System.Numerics;

namespace VoiceAgent.Listening.Benchmarks;

/// <summary>
/// The previous echo canceller, kept as the baseline the benchmark compares with: a normalised least-mean-squares (NLMS) FIR filter learns the path
/// from what the speakers played (the reference) to what the microphone hears, and subtracts its
/// estimate of the echo. Adaptation can be frozen while the user talks (double talk), which would
/// otherwise pull the filter away from the echo path. Samples are floats in [-1, 1].
/// </summary>
public sealed class NlmsEchoCanceller
{
    private readonly int _taps;
    private readonly float _step;
    private readonly float _regularization;
    private readonly float[] _weights;
    // The reference history twice over, so the newest `taps` samples are always one contiguous span.
    private readonly float[] _history;
    private int _newest;
    private double _power;

    /// <param name="taps">Filter length in samples: the longest echo path it can model.</param>
    /// <param name="step">Adaptation step (0..2); larger converges faster but is noisier.</param>
    public NlmsEchoCanceller(int taps, float step = 0.5f, float regularization = 1e-3f)
    {
        if (taps < 1) throw new ArgumentOutOfRangeException(nameof(taps));
        if (step is <= 0 or >= 2) throw new ArgumentOutOfRangeException(nameof(step), "NLMS step must be between 0 and 2.");
        _taps = taps;
        _step = step;
        _regularization = regularization * taps;
        _weights = new float[taps];
        _history = new float[2 * taps];
        _newest = 0;
    }

    public int Taps => _taps;

    /// <summary>The learned echo path (tap 0 = no delay).</summary>
    public ReadOnlySpan<float> Weights => _weights;

    /// <summary>Processes one sample pair and returns the microphone sample with the echo estimate removed.</summary>
    public float Process(float reference, float microphone, bool adapt)
    {
        // Slide the window: drop the oldest sample's power, add the new one's.
        var oldest = _history[_newest + _taps - 1];
        _newest = _newest == 0 ? _taps - 1 : _newest - 1;
        _history[_newest] = reference;
        _history[_newest + _taps] = reference;
        _power += (double)reference * reference - (double)oldest * oldest;
        if (_power < 0) _power = 0;

        var window = _history.AsSpan(_newest, _taps);
        var estimate = Dot(_weights, window);
        var error = microphone - estimate;
        if (adapt && _power > 1e-9)
        {
            var gain = (float)(_step * error / (_power + _regularization));
            AddScaled(_weights, window, gain);
        }
        return error;
    }

    /// <summary>Processes a block in place: <paramref name="microphone"/> becomes the residual.</summary>
    public void Process(ReadOnlySpan<float> reference, Span<float> microphone, bool adapt)
    {
        for (var i = 0; i < microphone.Length; i++)
            microphone[i] = Process(reference[i], microphone[i], adapt);
    }

    /// <summary>The filter's position in the reference, to <see cref="Rewind"/> to after a trial
    /// run without adaptation (the caller then feeds the same reference again).</summary>
    public EchoCancellerCheckpoint Checkpoint() => new(_newest, _power, (float[])_history.Clone());

    public void Rewind(EchoCancellerCheckpoint checkpoint)
    {
        _newest = checkpoint.Newest;
        _power = checkpoint.Power;
        checkpoint.History.CopyTo(_history, 0);
    }

    public void Reset()
    {
        Array.Clear(_weights);
        Array.Clear(_history);
        _power = 0;
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var width = Vector<float>.Count;
        var sum = Vector<float>.Zero;
        var i = 0;
        for (; i <= a.Length - width; i += width)
            sum += new Vector<float>(a[i..]) * new Vector<float>(b[i..]);
        var total = Vector.Sum(sum);
        for (; i < a.Length; i++) total += a[i] * b[i];
        return total;
    }

    private static void AddScaled(Span<float> target, ReadOnlySpan<float> source, float scale)
    {
        var width = Vector<float>.Count;
        var factor = new Vector<float>(scale);
        var i = 0;
        for (; i <= target.Length - width; i += width)
            (new Vector<float>(target[i..]) + new Vector<float>(source[i..]) * factor).CopyTo(target[i..]);
        for (; i < target.Length; i++) target[i] += source[i] * scale;
    }
}

/// <summary>A saved position of an <see cref="NlmsEchoCanceller"/> (its weights are not included).</summary>
public sealed record EchoCancellerCheckpoint(int Newest, double Power, float[] History);

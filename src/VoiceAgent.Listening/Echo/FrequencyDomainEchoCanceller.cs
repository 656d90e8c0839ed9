using NWaves.Transforms;

namespace VoiceAgent.Listening.Echo;

/// <summary>
/// Acoustic echo canceller: a partitioned-block frequency-domain adaptive filter (PBFDAF, also
/// called multi-delay filter, MDF). The echo path — what the speakers played (the reference) on
/// its way to the microphone, through the room's delay and reverberation — is modelled by
/// <c>partitions</c> filters of <c>block</c> taps each, so a path of half a second costs
/// about as much per sample as a time-domain filter of a few dozen taps. Each partition is adapted
/// in the frequency domain with its own step per frequency bin, normalised by the reference power
/// in that bin: speech, whose energy sits in a few bands, is learned as fast in its weak bands as
/// in its strong ones (a time-domain NLMS learns the weak bands slowly).
/// <para>
/// Double talk: while the user talks, the filter would learn their voice as echo. A block is not
/// learned from when the caller freezes adaptation (<see cref="Freeze"/>), or when a filter that
/// has converged suddenly explains little of a block that is not quiet (the user's voice is not
/// explained by the reference). Samples are floats in [-1, 1]; frames must be whole blocks.
/// </para>
/// </summary>
public sealed class FrequencyDomainEchoCanceller
{
    public const int DefaultBlock = 64;

    // Blocks with less reference energy than this (mean square, about -60 dBFS) teach nothing.
    private const float QuietReference = 1e-6f;
    // The leakage is an average; single blocks of echo alone run a few dB above it.
    private const float LeakageHeadroom = 2f;
    private const float PowerSmoothing = 0.35f;
    // Residual quieter than this (mean square, about -50 dBFS) is no sign of a second voice.
    private const float QuietResidual = 1e-5f;
    private const float ConvergedRemovalDb = 12f;
    // -1: every partition the same step (plain PBFDAF); towards 1: steps follow where the path is.
    private const float Proportionality = 0.8f;

    private readonly int _block;
    private readonly int _size;
    private readonly int _bins;
    private readonly int _partitions;
    private readonly float _step;
    private readonly RealFft _fft;

    // Spectra of the reference, newest partition at _newest, each _bins long (real and imaginary).
    private readonly float[] _referenceRe;
    private readonly float[] _referenceIm;
    private readonly float[] _weightsRe;
    private readonly float[] _weightsIm;
    private readonly float[] _window;
    private readonly float[] _time;
    private readonly float[] _re;
    private readonly float[] _im;
    private readonly float[] _errorRe;
    private readonly float[] _errorIm;
    private readonly float[] _scaledRe;
    private readonly float[] _scaledIm;
    private readonly float[] _partitionNorm;
    private readonly float[] _share;
    private readonly float[] _estimate;
    private readonly float[] _errorPower;
    private readonly float[] _estimatePower;
    private readonly float[] _echoShare;
    private readonly float[] _norm;
    private int _newest;
    private int _constrainNext;
    private readonly RemovalMeter _removal = new();
    private readonly LeakageTracker _leakage = new();
    private float[]? _timeWeights;

    /// <param name="taps">The longest echo path modelled, in samples (rounded up to whole blocks).</param>
    /// <param name="step">Adaptation step (0..1]: larger learns faster, and is noisier.</param>
    /// <param name="block">Block size, a power of two: frames are processed in blocks of this many samples.</param>
    public FrequencyDomainEchoCanceller(int taps, float step = 0.5f, int block = DefaultBlock)
    {
        if (taps < 1) throw new ArgumentOutOfRangeException(nameof(taps));
        if (step is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(step), "the echo canceller's step must be above 0 and at most 1.");
        if (block < 8 || (block & (block - 1)) != 0) throw new ArgumentOutOfRangeException(nameof(block), "the block size must be a power of two.");
        _block = block;
        _size = 2 * block;
        _bins = block + 1;
        _partitions = (taps + block - 1) / block;
        _step = step;
        _fft = new RealFft(_size);
        _referenceRe = new float[_partitions * _bins];
        _referenceIm = new float[_partitions * _bins];
        _weightsRe = new float[_partitions * _bins];
        _weightsIm = new float[_partitions * _bins];
        _window = new float[_size];
        _time = new float[_size];
        _re = new float[_bins];
        _im = new float[_bins];
        _errorRe = new float[_bins];
        _errorIm = new float[_bins];
        _scaledRe = new float[_bins];
        _scaledIm = new float[_bins];
        _partitionNorm = new float[_partitions];
        _share = new float[_partitions];
        _estimate = new float[block];
        _errorPower = new float[_bins];
        _estimatePower = new float[_bins];
        _echoShare = new float[_bins];
        _norm = new float[_bins];
    }

    /// <summary>The filter length in samples (whole blocks).</summary>
    public int Taps => _partitions * _block;

    public int BlockSize => _block;

    /// <summary>While true, nothing is learned (the caller knows the user is talking).</summary>
    public bool Freeze { get; set; }

    /// <summary>Smoothed echo removal (dB) over the blocks it learned from or checked.</summary>
    public double RemovalDb => _removal.Db;

    public bool Converged => _removal.Db >= ConvergedRemovalDb;

    /// <summary>How much of the echo the filter removes (dB), from its leakage: unlike the
    /// removal measured on the microphone, a user talking over the echo leaves it alone. Zero
    /// until the filter has first learned the path.</summary>
    public double EchoReductionDb => _removal.Bootstrapped ? 10 * Math.Log10(1 + 1 / _leakage.Value) : 0;

    /// <summary>The filter's leakage: echo left per unit of echo explained (energy).</summary>
    public double Leakage => _leakage.Value;

    /// <summary>Blocks learned from at less than half the step because they looked like double talk.</summary>
    public long DoubleTalkBlocks { get; private set; }

    /// <summary>The learned echo path in the time domain (tap 0 = no delay). Computed on demand.</summary>
    public ReadOnlySpan<float> Weights
    {
        get
        {
            if (_timeWeights is not null) return _timeWeights;
            var weights = new float[Taps];
            for (var p = 0; p < _partitions; p++)
            {
                _fft.Inverse(_weightsRe.AsSpan(p * _bins, _bins), _weightsIm.AsSpan(p * _bins, _bins), _time);
                for (var i = 0; i < _block; i++) weights[p * _block + i] = _time[i] / _size;
            }
            return _timeWeights = weights;
        }
    }

    /// <summary>Processes a frame in place: <paramref name="microphone"/> becomes the residual.
    /// <paramref name="reference"/>[i] is what was played at the moment microphone[i] was heard
    /// (the filter models the delay after that).</summary>
    public void Process(ReadOnlySpan<float> reference, Span<float> microphone)
    {
        if (reference.Length != microphone.Length || microphone.Length % _block != 0)
            throw new ArgumentException($"frames must be whole blocks of {_block} samples, with as much reference as microphone.");
        for (var at = 0; at < microphone.Length; at += _block)
            ProcessBlock(reference.Slice(at, _block), microphone.Slice(at, _block));
    }

    public void Reset()
    {
        Array.Clear(_referenceRe);
        Array.Clear(_referenceIm);
        Array.Clear(_weightsRe);
        Array.Clear(_weightsIm);
        Array.Clear(_window);
        _removal.Reset();
        _leakage.Reset();
        _timeWeights = null;
    }

    private void ProcessBlock(ReadOnlySpan<float> reference, Span<float> microphone)
    {
        // The newest two blocks of reference (overlap-save) become the newest partition's spectrum,
        // in the slot of the oldest.
        _window.AsSpan(_block).CopyTo(_window);
        reference.CopyTo(_window.AsSpan(_block));
        _newest = _newest == 0 ? _partitions - 1 : _newest - 1;
        var slotRe = _referenceRe.AsSpan(_newest * _bins, _bins);
        var slotIm = _referenceIm.AsSpan(_newest * _bins, _bins);
        _fft.Direct(_window, slotRe, slotIm);

        // Echo estimate: the sum over partitions of weights times reference spectra.
        Array.Clear(_re);
        Array.Clear(_im);
        for (var p = 0; p < _partitions; p++)
        {
            var slot = (_newest + p) % _partitions;
            SpectrumMath.MultiplyAdd(_weightsRe.AsSpan(p * _bins, _bins), _weightsIm.AsSpan(p * _bins, _bins),
                _referenceRe.AsSpan(slot * _bins, _bins), _referenceIm.AsSpan(slot * _bins, _bins), _re, _im);
        }
        _fft.Inverse(_re, _im, _time);

        float micEnergy = 0, errorEnergy = 0, referenceEnergy = 0, estimateEnergy = 0;
        var scale = 1f / _size;
        for (var i = 0; i < _block; i++)
        {
            var mic = microphone[i];
            var estimate = _estimate[i] = _time[_block + i] * scale;
            var error = mic - estimate;
            estimateEnergy += estimate * estimate;
            microphone[i] = error;
            micEnergy += mic * mic;
            errorEnergy += error * error;
            referenceEnergy += reference[i] * reference[i];
        }
        micEnergy /= _block;
        errorEnergy /= _block;
        referenceEnergy /= _block;
        estimateEnergy /= _block;

        if (Freeze || referenceEnergy < QuietReference) return;
        _removal.Add(micEnergy, errorEnergy);

        // Double talk, without a hard decision: how much of this block's error is echo the
        // filter has not yet explained? The filter's leakage (what is left of the echo for
        // each unit of echo it explains) is the slope of the error's energy over the echo
        // estimate's energy across blocks; a user's voice, unrelated to the estimate, leaves
        // that slope alone. Leakage times the estimate's energy over the error's energy is the
        // echo's share of the error: 1 with echo alone (full step), small while the user talks.
        _leakage.Add(estimateEnergy, errorEnergy);
        if (_removal.Bootstrapped && LeakageHeadroom * _leakage.Value * estimateEnergy < 0.5f * errorEnergy) DoubleTalkBlocks++;
        Adapt(microphone);
    }

    /// <summary>Moves every partition toward the echo path along the error's gradient.</summary>
    private void Adapt(ReadOnlySpan<float> error)
    {
        // The error block, zero-padded in front (overlap-save), in the frequency domain.
        Array.Clear(_time, 0, _block);
        error.CopyTo(_time.AsSpan(_block));
        _fft.Direct(_time, _errorRe, _errorIm);
        _estimate.CopyTo(_time.AsSpan(_block));
        _fft.Direct(_time, _re, _im);
        // The echo's share of the error, per bin (see ProcessBlock); smoothed over a few blocks.
        for (var k = 0; k < _bins; k++)
        {
            _errorPower[k] += PowerSmoothing * (_errorRe[k] * _errorRe[k] + _errorIm[k] * _errorIm[k] - _errorPower[k]);
            _estimatePower[k] += PowerSmoothing * (_re[k] * _re[k] + _im[k] * _im[k] - _estimatePower[k]);
            _echoShare[k] = _removal.Bootstrapped ? Math.Min(1f, LeakageHeadroom * _leakage.Value * _estimatePower[k] / Math.Max(_errorPower[k], 1e-12f)) : 1f;
        }

        // Proportionate steps (as IPNLMS does for taps): partitions that hold much of the echo
        // path take larger steps, the empty ones before the room's delay and after its tail
        // smaller ones, so a sparse path is learned several times faster.
        var total = 0f;
        for (var p = 0; p < _partitions; p++) total += _partitionNorm[p] = SpectrumMath.Norm(_weightsRe.AsSpan(p * _bins, _bins), _weightsIm.AsSpan(p * _bins, _bins));
        for (var p = 0; p < _partitions; p++)
            _share[p] = (1 - Proportionality) / 2 + (1 + Proportionality) / 2 * (total > 0 ? _partitions * _partitionNorm[p] / total : 1);

        // Per-bin NLMS normalisation: the reference power each partition sees, weighted by its
        // share. The regularisation keeps bins the reference hardly excites from taking huge
        // steps on noise.
        Array.Clear(_norm);
        for (var p = 0; p < _partitions; p++)
        {
            var slot = (_newest + p) % _partitions;
            SpectrumMath.AddPower(_referenceRe.AsSpan(slot * _bins, _bins), _referenceIm.AsSpan(slot * _bins, _bins), _share[p], _norm);
        }
        var mean = 0f;
        for (var k = 0; k < _bins; k++) mean += _norm[k];
        mean /= _bins;
        var floor = 1e-3f * mean + _size * _partitions * 1e-8f;
        for (var k = 0; k < _bins; k++)
        {
            var gain = _step * _echoShare[k] / (_norm[k] + floor);
            _re[k] = _errorRe[k] * gain;
            _im[k] = _errorIm[k] * gain;
        }
        for (var p = 0; p < _partitions; p++)
        {
            var share = _share[p];
            for (var k = 0; k < _bins; k++)
            {
                _scaledRe[k] = _re[k] * share;
                _scaledIm[k] = _im[k] * share;
            }
            var slot = (_newest + p) % _partitions;
            SpectrumMath.ConjugateMultiplyAdd(_referenceRe.AsSpan(slot * _bins, _bins), _referenceIm.AsSpan(slot * _bins, _bins),
                _scaledRe, _scaledIm, _weightsRe.AsSpan(p * _bins, _bins), _weightsIm.AsSpan(p * _bins, _bins));
        }
        // The gradient constraint (each partition's taps stay within its block), one partition
        // per block in turn: all of them every block would cost two transforms per partition.
        Constrain(_constrainNext);
        _constrainNext = (_constrainNext + 1) % _partitions;
        _timeWeights = null;
    }

    private void Constrain(int partition)
    {
        var re = _weightsRe.AsSpan(partition * _bins, _bins);
        var im = _weightsIm.AsSpan(partition * _bins, _bins);
        _fft.Inverse(re, im, _time);
        var scale = 1f / _size;
        for (var i = 0; i < _block; i++) _time[i] *= scale;
        Array.Clear(_time, _block, _block);
        _fft.Direct(_time, re, im);
    }
}

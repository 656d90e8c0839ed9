using System.Numerics;
using System.Runtime.CompilerServices;

namespace VoiceAgent.Dsp;

/// <summary>
/// Streaming band-limited sample-rate converter: a polyphase windowed-sinc (Kaiser) filter for
/// the exact rational ratio of the two rates. Downsampling low-passes below the new Nyquist
/// frequency, so nothing aliases. Output does not depend on how the input is chunked.
/// </summary>
public sealed class Resampler
{
    private const int ZeroCrossings = 16;
    private const double KaiserBeta = 8.6;

    private readonly int _up;      // L: output samples per period
    private readonly int _down;    // M: input samples per period
    private readonly int _halfTaps;
    private readonly float[][] _phases; // _phases[p][k] weights input (base - halfTaps + 1 + k)
    private float[] _history = new float[4096];
    private int _historyCount;
    private long _historyStart;   // absolute input index of _history[0]
    private long _inputCount;
    private long _outputCount;

    public Resampler(int inputRate, int outputRate)
    {
        if (inputRate <= 0 || outputRate <= 0)
            throw new ArgumentOutOfRangeException(nameof(inputRate), "Sample rates must be positive.");
        InputRate = inputRate;
        OutputRate = outputRate;
        var gcd = Gcd(inputRate, outputRate);
        _up = outputRate / gcd;
        _down = inputRate / gcd;

        // Cut off a little below the lower Nyquist frequency, measured in input samples.
        var cutoff = Math.Min(1.0, (double)outputRate / inputRate) * 0.94;
        _halfTaps = (int)Math.Ceiling(ZeroCrossings / cutoff);
        _phases = Filters.GetOrAdd((_up, _down), _ => DesignFilter(_up, _halfTaps, cutoff));
    }

    /// <summary>The filter of each rate pair, designed once: a stream per sentence must not pay
    /// for thousands of Bessel evaluations before its first sample. Read-only once made.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int Up, int Down), float[][]> Filters = new();

    private static float[][] DesignFilter(int up, int halfTaps, double cutoff)
    {
        var phases = new float[up][];
        for (var p = 0; p < up; p++)
        {
            var frac = (double)p / up;
            var taps = new float[2 * halfTaps];
            for (var k = 0; k < taps.Length; k++)
            {
                var t = (k - halfTaps + 1) - frac; // distance from the output instant, in input samples
                taps[k] = (float)(cutoff * Sinc(cutoff * t) * Kaiser(t / halfTaps));
            }
            phases[p] = taps;
        }
        return phases;
    }

    public int InputRate { get; }

    public int OutputRate { get; }

    public bool IsIdentity => InputRate == OutputRate;

    /// <summary>How many samples a whole signal of <paramref name="inputCount"/> samples becomes
    /// (what <see cref="Convert"/>, or Process then Flush, returns).</summary>
    public static long OutputLength(long inputCount, int inputRate, int outputRate) =>
        inputRate == outputRate ? inputCount : (inputCount * outputRate + inputRate - 1) / inputRate;

    /// <summary>Resamples a whole signal at once.</summary>
    public static short[] Convert(ReadOnlySpan<short> input, int inputRate, int outputRate)
    {
        if (inputRate == outputRate) return input.ToArray();
        var resampler = new Resampler(inputRate, outputRate);
        var head = resampler.Process(input);
        var tail = resampler.Flush();
        return [.. head, .. tail];
    }

    /// <summary>Feeds input and returns every output sample that can be computed so far.</summary>
    public short[] Process(ReadOnlySpan<short> input)
    {
        if (IsIdentity) return input.ToArray();
        EnsureRoom(input.Length);
        Pcm16.ToFloats(input, _history.AsSpan(_historyCount));
        _historyCount += input.Length;
        _inputCount += input.Length;
        return Drain(_inputCount);
    }

    /// <summary>Ends the stream: returns the remaining output, as if silence followed.</summary>
    public short[] Flush()
    {
        if (IsIdentity) return [];
        var total = (_inputCount * _up + _down - 1) / _down; // outputs owed for the whole input
        EnsureRoom(_halfTaps);
        Array.Clear(_history, _historyCount, _halfTaps);
        _historyCount += _halfTaps;
        var tail = Drain(_inputCount + _halfTaps, total);
        return tail;
    }

    // Optimized from the first call: a sentence's first audio must not wait for tiered JIT.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private short[] Drain(long available, long limit = long.MaxValue)
    {
        // Output n needs input up to (n * down / up) + halfTaps, which must be below available.
        var last = Math.Min(limit, LastComputable(available));
        var output = new short[Math.Max(0, last - _outputCount)];
        for (var k = 0; k < output.Length; k++, _outputCount++)
        {
            var position = _outputCount * _down;
            var baseIndex = position / _up;
            var taps = _phases[(int)(position % _up)].AsSpan();
            var first = baseIndex - _halfTaps + 1 - _historyStart;
            if (first < 0)
            {
                taps = taps[(int)-first..]; // the stream's start: earlier input is silence
                first = 0;
            }
            output[k] = Pcm16.FromFloat(Dot(taps, _history.AsSpan((int)first, taps.Length)));
        }
        Trim();
        return output;
    }

    /// <summary>One past the last output whose window ends before input <paramref name="available"/>:
    /// output n needs floor(n·down/up) + halfTaps &lt; available, that is n &lt; (B + 1)·up/down
    /// with B = available - halfTaps - 1.</summary>
    private long LastComputable(long available)
    {
        var b = available - _halfTaps - 1;
        return b < 0 ? _outputCount : Math.Max(_outputCount, ((b + 1) * _up + _down - 1) / _down);
    }

    /// <summary>The filter's dot product, several taps at a time where the CPU can.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Dot(ReadOnlySpan<float> taps, ReadOnlySpan<float> window)
    {
        var sum = 0f;
        var k = 0;
        if (Vector.IsHardwareAccelerated && taps.Length >= Vector<float>.Count)
        {
            var acc = Vector<float>.Zero;
            for (; k <= taps.Length - Vector<float>.Count; k += Vector<float>.Count)
                acc += new Vector<float>(taps[k..]) * new Vector<float>(window[k..]);
            sum = Vector.Sum(acc);
        }
        for (; k < taps.Length; k++) sum += taps[k] * window[k];
        return sum;
    }

    private void Trim()
    {
        // Keep only the input the next output still needs.
        var nextBase = _outputCount * _down / _up;
        var keepFrom = nextBase - _halfTaps + 1;
        var drop = (int)Math.Clamp(keepFrom - _historyStart, 0, _historyCount);
        if (drop > 4096)
        {
            Array.Copy(_history, drop, _history, 0, _historyCount - drop);
            _historyCount -= drop;
            _historyStart += drop;
        }
    }

    private void EnsureRoom(int more)
    {
        if (_historyCount + more > _history.Length)
            Array.Resize(ref _history, Math.Max(_history.Length * 2, _historyCount + more));
    }

    private static double Sinc(double x) => Math.Abs(x) < 1e-12 ? 1.0 : Math.Sin(Math.PI * x) / (Math.PI * x);

    private static double Kaiser(double x)
    {
        if (Math.Abs(x) > 1) return 0;
        return BesselI0(KaiserBeta * Math.Sqrt(1 - x * x)) / BesselI0(KaiserBeta);
    }

    private static double BesselI0(double x)
    {
        double sum = 1, term = 1;
        for (var k = 1; k < 50; k++)
        {
            term *= x / (2 * k) * (x / (2 * k));
            sum += term;
            if (term < 1e-12 * sum) break;
        }
        return sum;
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
}

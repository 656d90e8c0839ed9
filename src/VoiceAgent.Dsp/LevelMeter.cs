namespace VoiceAgent.Dsp;

/// <summary>Accumulates the level of a stream of 16-bit samples: RMS and peak, in dBFS.</summary>
public sealed class LevelMeter
{
    private double _sumOfSquares;
    private int _peak;

    public long Samples { get; private set; }

    public void Add(ReadOnlySpan<short> samples)
    {
        foreach (var s in samples)
        {
            _sumOfSquares += (double)s * s;
            _peak = Math.Max(_peak, Math.Abs((int)s));
        }
        Samples += samples.Length;
    }

    /// <summary>RMS level relative to full scale (-inf for digital silence or no samples).</summary>
    public double RmsDbfs => Samples == 0 || _sumOfSquares <= 0
        ? double.NegativeInfinity
        : 20 * Math.Log10(Math.Sqrt(_sumOfSquares / Samples) / 32768.0);

    public double PeakDbfs => _peak == 0 ? double.NegativeInfinity : 20 * Math.Log10(_peak / 32768.0);

    public void Reset()
    {
        _sumOfSquares = 0;
        _peak = 0;
        Samples = 0;
    }
}

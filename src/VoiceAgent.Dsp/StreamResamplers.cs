namespace VoiceAgent.Dsp;

/// <summary>
/// Brings several streams, each at its own rate, to one output rate: one streaming
/// <see cref="Resampler"/> per stream, so a stream's filter carries on across its chunks (a
/// resampler per chunk would click at every boundary). A stream that changes its rate starts a
/// new resampler. Not thread-safe.
/// </summary>
public sealed class StreamResamplers<TStream>(int outputRate) where TStream : notnull
{
    private readonly Dictionary<TStream, Resampler> _resamplers = new();

    public int OutputRate => outputRate;

    /// <summary>The next chunk of <paramref name="stream"/> at the output rate (a copy when it is
    /// already at that rate).</summary>
    public short[] Process(TStream stream, int inputRate, ReadOnlySpan<short> samples)
    {
        if (inputRate == outputRate) return samples.ToArray();
        if (!_resamplers.TryGetValue(stream, out var resampler) || resampler.InputRate != inputRate)
            _resamplers[stream] = resampler = new Resampler(inputRate, outputRate);
        return resampler.Process(samples);
    }

    /// <summary>Ends <paramref name="stream"/>: what its resampler still holds (empty when none).</summary>
    public short[] Finish(TStream stream) =>
        _resamplers.Remove(stream, out var resampler) ? resampler.Flush() : [];

    /// <summary>Drops the streams <paramref name="ended"/> picks, without their tails.</summary>
    public void Forget(Func<TStream, bool> ended)
    {
        foreach (var stream in _resamplers.Keys.Where(ended).ToList()) _resamplers.Remove(stream);
    }
}

using System.Buffers.Binary;

namespace VoiceAgent.Dsp;

/// <summary>Conversions and measurements for signed 16-bit little-endian mono PCM.</summary>
public static class Pcm16
{
    public static short[] FromBytes(ReadOnlySpan<byte> bytes)
    {
        var samples = new short[bytes.Length / 2];
        for (var i = 0; i < samples.Length; i++)
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.Slice(i * 2, 2));
        return samples;
    }

    public static byte[] ToBytes(ReadOnlySpan<short> samples)
    {
        var bytes = new byte[samples.Length * 2];
        for (var i = 0; i < samples.Length; i++)
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2, 2), samples[i]);
        return bytes;
    }

    public static float ToFloat(short sample) => sample / 32768f;

    /// <summary>Writes <paramref name="samples"/> as floats in [-1, 1) to the start of
    /// <paramref name="destination"/>, which may be longer (the rest is left as it is).</summary>
    public static void ToFloats(ReadOnlySpan<short> samples, Span<float> destination)
    {
        for (var i = 0; i < samples.Length; i++) destination[i] = ToFloat(samples[i]);
    }

    public static float[] ToFloats(ReadOnlySpan<short> samples)
    {
        var floats = new float[samples.Length];
        ToFloats(samples, floats);
        return floats;
    }

    public static short FromFloat(float value)
    {
        var scaled = MathF.Round(value * 32768f);
        return (short)Math.Clamp(scaled, short.MinValue, short.MaxValue);
    }

    /// <summary>A sample already at 16-bit scale but held in floating point (after mixing or
    /// filtering), rounded and clipped to 16 bits.</summary>
    public static short FromScaled(double sample) =>
        (short)Math.Clamp(Math.Round(sample), short.MinValue, short.MaxValue);

    /// <inheritdoc cref="FromScaled(double)"/>
    public static void FromScaled(ReadOnlySpan<float> samples, Span<short> destination)
    {
        for (var i = 0; i < samples.Length; i++) destination[i] = FromScaled(samples[i]);
    }

    /// <summary>Root mean square level relative to full scale, in dBFS (-inf for digital silence).</summary>
    public static double RmsDbfs(ReadOnlySpan<short> samples)
    {
        if (samples.IsEmpty) return double.NegativeInfinity;
        double sum = 0;
        foreach (var s in samples) sum += (double)s * s;
        var rms = Math.Sqrt(sum / samples.Length) / 32768.0;
        return rms <= 0 ? double.NegativeInfinity : 20 * Math.Log10(rms);
    }

    /// <summary>The same for float audio (full scale 1). Processed audio, such as what an echo
    /// canceller leaves, is seldom exactly silent: anything at or below -180 dBFS reads as -180,
    /// a finite level that differences between levels can still use.</summary>
    public static double RmsDbfs(ReadOnlySpan<float> samples)
    {
        double sum = 0;
        foreach (var s in samples) sum += (double)s * s;
        var rms = Math.Sqrt(sum / Math.Max(1, samples.Length));
        return rms <= 1e-9 ? -180 : 20 * Math.Log10(rms);
    }

    public static TimeSpan Duration(long samples, int sampleRate) =>
        TimeSpan.FromTicks(samples * TimeSpan.TicksPerSecond / sampleRate);

    public static int SamplesFor(TimeSpan duration, int sampleRate) =>
        (int)Math.Round(duration.TotalSeconds * sampleRate);

    /// <summary>The sample at <paramref name="position"/> on a timeline that starts at sample zero
    /// (the inverse of <see cref="Duration"/>); a long, as a capture session can outlast an int.</summary>
    public static long SampleAt(TimeSpan position, int sampleRate) =>
        (long)Math.Round(position.TotalSeconds * sampleRate);
}

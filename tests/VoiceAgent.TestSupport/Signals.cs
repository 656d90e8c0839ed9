namespace VoiceAgent.TestSupport;

/// <summary>Test signals and their measurement.</summary>
public static class Signals
{
    public static short[] Sine(double frequency, int sampleRate, double seconds, double amplitude = 0.5)
    {
        var samples = new short[(int)(sampleRate * seconds)];
        for (var i = 0; i < samples.Length; i++)
            samples[i] = (short)(amplitude * 32767 * Math.Sin(2 * Math.PI * frequency * i / sampleRate));
        return samples;
    }

    /// <summary>RMS of a signal, as a fraction of full scale.</summary>
    public static double Rms(ReadOnlySpan<short> samples)
    {
        double sum = 0;
        foreach (var s in samples) sum += (double)s * s;
        return samples.IsEmpty ? 0 : Math.Sqrt(sum / samples.Length) / 32768.0;
    }

    /// <summary>Power at one frequency (Goertzel), normalised to the amplitude of a sine.</summary>
    public static double AmplitudeAt(ReadOnlySpan<short> samples, double frequency, int sampleRate)
    {
        var w = 2 * Math.PI * frequency / sampleRate;
        var coeff = 2 * Math.Cos(w);
        double s1 = 0, s2 = 0;
        foreach (var x in samples)
        {
            var s0 = x / 32768.0 + coeff * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        var power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
        return 2 * Math.Sqrt(Math.Max(power, 0)) / samples.Length;
    }
}

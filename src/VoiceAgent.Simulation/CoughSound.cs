using VoiceAgent.Dsp;

namespace VoiceAgent.Simulation;

/// <summary>
/// A cough-like burst for scenarios: a short blast of breath noise mixed with a voiced "uh"
/// (a glottal pulse train through two vowel formants), with a fast attack and a decay. Silero
/// ignores pure noise bursts; a voiced cough is the hard case, the one that does reach the VAD.
/// Deterministic (seeded).
/// </summary>
public static class CoughSound
{
    /// <param name="voicing">0 = breath noise only, 1 = voiced only.</param>
    public static short[] Create(TimeSpan duration, int sampleRate = 16_000, double peakDbfs = -6, double voicing = 0.7, int seed = 7)
    {
        var random = new Random(seed);
        var count = (int)(duration.TotalSeconds * sampleRate);
        var samples = new double[count];
        var breath = new Resonator(1800, 900, sampleRate);
        var formant1 = new Resonator(650, 120, sampleRate);
        var formant2 = new Resonator(1150, 160, sampleRate);
        var phase = 0.0;
        for (var i = 0; i < count; i++)
        {
            var t = i / (double)sampleRate;
            var noise = breath.Next(random.NextDouble() * 2 - 1);
            // Glottal pulses with a falling pitch, as in a cough's "uh".
            var f0 = 190 - 60 * t / duration.TotalSeconds;
            phase += f0 / sampleRate;
            var pulse = 0.0;
            if (phase >= 1)
            {
                phase -= 1;
                pulse = 1;
            }
            var voiced = formant1.Next(pulse) + 0.5 * formant2.Next(pulse);
            var envelope = Math.Min(1, t / 0.01) * Math.Exp(-t / (duration.TotalSeconds / 2));
            samples[i] = envelope * ((1 - voicing) * noise / 0.2 + voicing * voiced);
        }
        var peak = samples.Max(Math.Abs);
        var gain = Math.Pow(10, peakDbfs / 20) * 32767 / Math.Max(peak, 1e-9);
        return samples.Select(s => Pcm16.FromScaled(s * gain)).ToArray();
    }

    /// <summary>A two-pole resonator (one formant).</summary>
    private sealed class Resonator
    {
        private readonly double _a1, _a2, _gain;
        private double _y1, _y2;

        public Resonator(double frequency, double bandwidth, int sampleRate)
        {
            var r = Math.Exp(-Math.PI * bandwidth / sampleRate);
            _a1 = 2 * r * Math.Cos(2 * Math.PI * frequency / sampleRate);
            _a2 = -r * r;
            _gain = 1 - r;
        }

        public double Next(double x)
        {
            var y = _gain * x + _a1 * _y1 + _a2 * _y2;
            _y2 = _y1;
            _y1 = y;
            return y;
        }
    }
}

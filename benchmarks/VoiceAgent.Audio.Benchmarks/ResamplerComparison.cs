using System.Diagnostics;
using NAudio.Wave.SampleProviders;
using NAudio.Wave;
using VoiceAgent.Audio;
using VoiceAgent.Dsp;

namespace VoiceAgent.Audio.Benchmarks;

/// <summary>
/// The project's resampler against NAudio's WDL resampler on the same signals: 3 s of tones, some
/// that the new rate can hold (they must survive) and, when downsampling, some that it cannot
/// (they must vanish). Error = the energy left after fitting the surviving tones (free amplitude
/// and phase, so a delay costs nothing), relative to the signal, in dB; lower is better. The first
/// and last 100 ms (filter start-up and tail) are left out of the fit.
/// </summary>
internal static class ResamplerComparison
{
    private const double Seconds = 3;
    private const double Amplitude = 0.15;

    private sealed record Case(int From, int To, double[] Kept, double[] Removed);

    private static readonly Case[] Cases =
    [
        new(24_000, 48_000, [200, 1000, 3000, 6000, 10_000], []),
        new(22_050, 16_000, [200, 1000, 3000, 6000], [9000, 10_500]),
        new(48_000, 16_000, [200, 1000, 3000, 6000], [9000, 14_000, 20_000]),
        new(16_000, 24_000, [200, 1000, 3000, 6000, 7000], []),
    ];

    public static void Run()
    {
        Console.WriteLine($"Resampling {Seconds:0} s of tones (CPU time, median of 15 runs after 5; error: energy left after fitting the tones that should survive)");
        Console.WriteLine($"{"conversion",-16} {"resampler",-28} {"CPU time",9} {"x real time",12} {"error",9}");
        foreach (var c in Cases)
        {
            var input = Tones(c.From, c.Kept.Concat(c.Removed));
            var pcm = input.Select(Pcm16.FromFloat).ToArray();
            Print(c, "VoiceAgent Resampler (sinc)", () => Resampler.Convert(pcm, c.From, c.To).Select(Pcm16.ToFloat).ToArray());
            Print(c, "NAudio WdlResampling", () => Wdl(input, c.From, c.To));
            Print(c, "NAudio WdlResampler, sinc", () => WdlSinc(input, c.From, c.To));
        }
    }

    private static void Print(Case c, string name, Func<float[]> convert)
    {
        for (var i = 0; i < 5; i++) convert(); // JIT and tiering
        var times = new List<double>();
        float[] output = [];
        var process = Process.GetCurrentProcess();
        for (var i = 0; i < 15; i++)
        {
            // CPU time of this single-threaded work: on a shared machine wall time measures the neighbours.
            process.Refresh();
            var start = process.TotalProcessorTime;
            output = convert();
            process.Refresh();
            times.Add((process.TotalProcessorTime - start).TotalMilliseconds);
        }
        times.Sort();
        var ms = times[times.Count / 2];
        Console.WriteLine($"{$"{c.From / 1000.0:0.##} -> {c.To / 1000.0:0.##} kHz",-16} {name,-28} {ms,6:0.0} ms {Seconds * 1000 / ms,10:0}x {ErrorDb(output, c.To, c.Kept),6:0.0} dB");
    }

    private static float[] Tones(int rate, IEnumerable<double> frequencies)
    {
        var list = frequencies.ToArray();
        var samples = new float[(int)(Seconds * rate)];
        for (var n = 0; n < samples.Length; n++)
            foreach (var f in list)
                samples[n] += (float)(Amplitude * Math.Sin(2 * Math.PI * f * n / rate + f));
        return samples;
    }

    private static float[] Wdl(float[] input, int from, int to)
    {
        var resampler = new WdlResamplingSampleProvider(new ArraySource(input, from), to);
        var output = new List<float>();
        var buffer = new float[4096];
        int read;
        while ((read = resampler.Read(buffer, 0, buffer.Length)) > 0) output.AddRange(buffer.AsSpan(0, read));
        return output.ToArray();
    }

    /// <summary>The WDL resampler in its windowed-sinc mode (64 taps), which the sample provider
    /// does not use (it interpolates and low-passes with IIR filters), driven the way the provider
    /// drives it.</summary>
    private static float[] WdlSinc(float[] input, int from, int to)
    {
        var resampler = new global::NAudio.Dsp.WdlResampler();
        resampler.SetMode(true, 0, true);
        resampler.SetFeedMode(false);
        resampler.SetRates(from, to);
        var source = new ArraySource(input, from);
        var output = new List<float>();
        var buffer = new float[4096];
        while (true)
        {
            var needed = resampler.ResamplePrepare(buffer.Length, 1, out var inBuffer, out var inOffset);
            var available = source.Read(inBuffer, inOffset, needed);
            var produced = resampler.ResampleOut(buffer, 0, available, buffer.Length, 1);
            if (produced == 0) break;
            output.AddRange(buffer.AsSpan(0, produced));
        }
        return output.ToArray();
    }

    /// <summary>10·log10(residual / signal) after a least-squares fit of a sine and a cosine per kept tone.</summary>
    private static double ErrorDb(float[] output, int rate, double[] kept)
    {
        var skip = rate / 10;
        var count = Math.Min(output.Length, (int)(Seconds * rate)) - 2 * skip;
        var columns = 2 * kept.Length;
        var basis = new double[columns][];
        for (var k = 0; k < kept.Length; k++)
        {
            basis[2 * k] = new double[count];
            basis[2 * k + 1] = new double[count];
            for (var n = 0; n < count; n++)
            {
                var phase = 2 * Math.PI * kept[k] * (n + skip) / rate;
                basis[2 * k][n] = Math.Sin(phase);
                basis[2 * k + 1][n] = Math.Cos(phase);
            }
        }
        // Normal equations A x = b, solved by Gaussian elimination (a 10 x 10 system at most).
        var a = new double[columns, columns + 1];
        for (var i = 0; i < columns; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                double sum = 0;
                for (var n = 0; n < count; n++) sum += basis[i][n] * basis[j][n];
                a[i, j] = sum;
            }
            double b = 0;
            for (var n = 0; n < count; n++) b += basis[i][n] * output[n + skip];
            a[i, columns] = b;
        }
        for (var p = 0; p < columns; p++)
            for (var r = p + 1; r < columns; r++)
            {
                var factor = a[r, p] / a[p, p];
                for (var j = p; j <= columns; j++) a[r, j] -= factor * a[p, j];
            }
        var x = new double[columns];
        for (var p = columns - 1; p >= 0; p--)
        {
            var sum = a[p, columns];
            for (var j = p + 1; j < columns; j++) sum -= a[p, j] * x[j];
            x[p] = sum / a[p, p];
        }
        double residual = 0, signal = 0;
        for (var n = 0; n < count; n++)
        {
            double fit = 0;
            for (var i = 0; i < columns; i++) fit += x[i] * basis[i][n];
            residual += (output[n + skip] - fit) * (output[n + skip] - fit);
            signal += fit * fit;
        }
        return 10 * Math.Log10(residual / signal);
    }

    private sealed class ArraySource(float[] samples, int rate) : ISampleProvider
    {
        private int _position;

        public WaveFormat WaveFormat { get; } = WaveFormat.CreateIeeeFloatWaveFormat(rate, 1);

        public int Read(float[] buffer, int offset, int count)
        {
            var n = Math.Min(count, samples.Length - _position);
            Array.Copy(samples, _position, buffer, offset, n);
            _position += n;
            return n;
        }
    }
}

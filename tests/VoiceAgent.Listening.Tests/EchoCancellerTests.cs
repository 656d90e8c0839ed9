using VoiceAgent.Listening.Echo;
using VoiceAgent.TestSupport;

namespace VoiceAgent.Listening.Tests;

public class EchoCancellerTests
{
    private static float[] Speech(int offsetSeconds, int seconds)
    {
        var jfk = TestModel.Jfk();
        return jfk.Skip(offsetSeconds * 16000).Take(seconds * 16000).Select(s => s / 32768f).ToArray();
    }

    /// <summary>A room: 12 ms delay at -6 dB plus a weaker reflection 30 ms later.</summary>
    private static float[] Echo(float[] reference)
    {
        var echo = new float[reference.Length];
        for (var i = 0; i < echo.Length; i++)
        {
            if (i >= 192) echo[i] += 0.5f * reference[i - 192];
            if (i >= 672) echo[i] += 0.15f * reference[i - 672];
        }
        return echo;
    }

    private static double Energy(ReadOnlySpan<float> x)
    {
        double sum = 0;
        foreach (var v in x) sum += v * v;
        return sum;
    }

    [Fact]
    public void Cancels_a_room_echo_by_more_than_20_dB_once_converged()
    {
        var reference = Speech(0, 8);
        var mic = Echo(reference);
        var canceller = new NlmsEchoCanceller(taps: 1024, step: 0.3f);
        var residual = (float[])mic.Clone();
        canceller.Process(reference, residual, adapt: true);

        // The last 3 s, after convergence.
        var from = 5 * 16000;
        var erle = 10 * Math.Log10(Energy(mic.AsSpan(from)) / Energy(residual.AsSpan(from)));
        Assert.True(erle > 20, $"echo return loss enhancement {erle:F1} dB");
        // The main tap was found where the room put it.
        var weights = canceller.Weights.ToArray();
        Assert.Equal(192, Array.IndexOf(weights, weights.Max()));
    }

    [Fact]
    public void Keeps_the_near_end_talker()
    {
        var reference = Speech(0, 8);
        var mic = Echo(reference);
        var canceller = new NlmsEchoCanceller(taps: 1024, step: 0.3f);
        var residual = (float[])mic.Clone();
        canceller.Process(reference, residual, adapt: true);

        // Then the user talks (a 440 Hz tone stands for them) over the echo, adaptation frozen.
        var tail = Speech(8, 2);
        var user = Signals.Sine(440, 16000, 2, 0.1).Select(s => s / 32768f).ToArray();
        var tailMic = Echo(tail).Select((e, i) => e + user[i]).ToArray();
        var tailResidual = (float[])tailMic.Clone();
        canceller.Process(tail, tailResidual, adapt: false);

        var kept = Signals.AmplitudeAt(tailResidual.Select(v => (short)(v * 32767)).ToArray(), 440, 16000);
        Assert.InRange(kept, 0.08, 0.12);
    }
}

using VoiceAgent.Listening.Echo;
using VoiceAgent.Simulation;
using VoiceAgent.TestSupport;

namespace VoiceAgent.Listening.Tests;

public class EchoCancellerTests(ITestOutputHelper output)
{
    private const int Rate = 16000;

    private static float[] Speech(int offsetSeconds, int seconds)
    {
        var jfk = TestModel.Jfk();
        return jfk.Skip(offsetSeconds * Rate).Take(seconds * Rate).Select(s => s / 32768f).ToArray();
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

    private static double RemovedDb(float[] mic, float[] residual, int from, int count) =>
        10 * Math.Log10(Energy(mic.AsSpan(from, count)) / Energy(residual.AsSpan(from, count)));

    [Fact]
    public void Cancels_a_room_echo_by_more_than_20_dB_once_converged()
    {
        var reference = Speech(0, 8);
        var mic = Echo(reference);
        var canceller = new FrequencyDomainEchoCanceller(taps: 1024);
        var residual = (float[])mic.Clone();
        canceller.Process(reference, residual);

        // The last 3 s, after convergence.
        var erle = RemovedDb(mic, residual, 5 * Rate, 3 * Rate);
        Assert.True(erle > 20, $"echo return loss enhancement {erle:F1} dB");
        // The main tap was found where the room put it.
        var weights = canceller.Weights.ToArray();
        Assert.Equal(192, CouplingMeter.StrongestTap(weights));
    }

    [Fact]
    public void Keeps_the_near_end_talker_while_frozen()
    {
        var reference = Speech(0, 8);
        var mic = Echo(reference);
        var canceller = new FrequencyDomainEchoCanceller(taps: 1024);
        var residual = (float[])mic.Clone();
        canceller.Process(reference, residual);

        // Then the user talks (a 440 Hz tone stands for them) over the echo, adaptation frozen.
        var tail = Speech(8, 2);
        var user = Signals.Sine(440, Rate, 2, 0.1).Select(s => s / 32768f).ToArray();
        var tailMic = Echo(tail).Select((e, i) => e + user[i]).ToArray();
        var tailResidual = (float[])tailMic.Clone();
        canceller.Freeze = true;
        canceller.Process(tail, tailResidual);

        var kept = Signals.AmplitudeAt(tailResidual.Select(v => (short)(v * 32767)).ToArray(), 440, Rate);
        Assert.InRange(kept, 0.08, 0.12);
    }

    /// <summary>The hardest room of the scenario sweep: the echo as loud as what is played (0 dB),
    /// 120 ms late, with reflections every 13 ms each half as strong (a tail of about 300 ms).</summary>
    private static readonly RoomSetup HardRoom = new() { EchoGain = 1.0, EchoDelay = 0.12, ReverbSpacing = 0.013, ReverbDecay = 0.5 };

    [Fact]
    public void Learns_a_long_reverberant_echo_path_at_0_dB_within_half_a_second()
    {
        var agent = TestModel.Espeak(TestModel.AgentReply + " " + TestModel.AgentReply);
        var mic = RoomEcho.Record(HardRoom, agent, Rate).Select(s => s / 32768f).ToArray();
        var reference = agent.Select(s => s / 32768f).ToArray();
        var length = reference.Length / 320 * 320;
        var canceller = new FrequencyDomainEchoCanceller(taps: Rate / 2);
        var residual = mic[..length];
        canceller.Process(reference.AsSpan(0, length), residual);

        var perSecond = Enumerable.Range(0, length / Rate).Select(s => RemovedDb(mic, residual, s * Rate, Rate)).ToList();
        output.WriteLine($"echo removed per second: {string.Join(" ", perSecond.Select(d => d.ToString("F0")))} dB");
        var second = RemovedDb(mic, residual, Rate / 2, Rate / 2);
        Assert.True(second > 5, $"0.5-1 s: {second:F1} dB");
        var third = RemovedDb(mic, residual, Rate, Rate);
        Assert.True(third > 10, $"1-2 s: {third:F1} dB");
        var late = RemovedDb(mic, residual, 5 * Rate, length - 5 * Rate);
        Assert.True(late > 20, $"from 5 s on: {late:F1} dB");
    }

    [Fact]
    public void Reports_its_echo_reduction_within_a_second_when_the_echo_is_not_exactly_linear()
    {
        // A laptop room (-10 dB, 50 ms) whose echo is a little off what any filter can model (a
        // 10% random gain per sample, as a loudspeaker's distortion and two resamplers leave),
        // and the pauses between the agent's words heard as near silence. The gate stays
        // cautious until the canceller reports its echo reduction: it must do so within a second.
        var agent = TestModel.Espeak(TestModel.AgentReply);
        var random = new Random(7);
        var mic = RoomEcho.Record(new RoomSetup { EchoGain = 0.3, EchoDelay = 0.05 }, agent, Rate)
            .Select(s => s / 32768f * (float)(1 + 0.1 * (2 * random.NextDouble() - 1))).ToArray();
        var reference = agent.Select(s => s / 32768f).ToArray();
        var canceller = new FrequencyDomainEchoCanceller(taps: Rate / 2);

        var reportedAt = -1;
        for (var at = 0; at + 320 <= Rate * 3 && reportedAt < 0; at += 320)
        {
            canceller.Process(reference.AsSpan(at, 320), mic.AsSpan(at, 320));
            if (canceller.EchoReductionDb > 0) reportedAt = (at + 320) * 1000 / Rate;
        }
        output.WriteLine($"echo reduction first reported after {reportedAt} ms of echo");
        Assert.InRange(reportedAt, 1, 1000);
    }

    [Fact]
    public void Stays_converged_through_double_talk_without_being_told()
    {
        // Ten seconds of echo, then four seconds of a user at the echo's own level, then echo again.
        var agent = TestModel.Espeak(TestModel.AgentReply + " " + TestModel.AgentReply);
        var echo = RoomEcho.Record(HardRoom, agent, Rate).Select(s => s / 32768f).ToArray();
        var user = Speech(0, 4);
        var echoLevel = Math.Sqrt(Energy(echo.AsSpan(10 * Rate, 4 * Rate)) / Energy(user));
        var mic = (float[])echo.Clone();
        for (var i = 0; i < user.Length; i++) mic[10 * Rate + i] += (float)(user[i] * echoLevel);
        var reference = agent.Select(s => s / 32768f).ToArray();
        var length = Math.Min(reference.Length, 18 * Rate) / 320 * 320;
        var canceller = new FrequencyDomainEchoCanceller(taps: Rate / 2);
        var residual = mic[..length];
        canceller.Process(reference.AsSpan(0, length), residual);

        var before = RemovedDb(echo, residual, 7 * Rate, 3 * Rate);
        var after = RemovedDb(echo, residual, 14 * Rate, length - 14 * Rate);
        output.WriteLine($"echo removed before the double talk {before:F1} dB, after it {after:F1} dB; {canceller.DoubleTalkBlocks} double-talk blocks");
        Assert.True(before > 20, $"before: {before:F1} dB");
        Assert.True(after > before - 8, $"after the double talk: {after:F1} dB (before {before:F1} dB)");
        Assert.True(canceller.DoubleTalkBlocks > 0);
    }

    [Fact]
    public void Rejects_frames_that_are_not_whole_blocks()
    {
        var canceller = new FrequencyDomainEchoCanceller(taps: 1024);
        Assert.Throws<ArgumentException>(() => canceller.Process(new float[100], new float[100]));
    }
}

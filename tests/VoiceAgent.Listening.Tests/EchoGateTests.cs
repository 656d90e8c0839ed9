using VoiceAgent.Listening.Echo;

namespace VoiceAgent.Listening.Tests;

public class EchoGateTests
{
    [Fact]
    public void Before_convergence_only_a_clearly_louder_voice_counts()
    {
        var gate = new EchoGate();
        Assert.False(gate.Converged);
        // Echo as loud as the reference, nothing cancelled yet: not the user.
        Assert.False(gate.MayBeUser(new EchoWindowLevels(-20, -20, -20)));
        // 10 dB above the reference: the user.
        Assert.True(gate.MayBeUser(new EchoWindowLevels(-10, -10, -20)));
    }

    [Fact]
    public void Learns_coupling_and_convergence_from_cancelled_echo()
    {
        var gate = new EchoGate();
        for (var i = 0; i < 150; i++) Assert.False(gate.MayBeUser(new EchoWindowLevels(-26, -46, -20)));
        Assert.True(gate.Converged);
        Assert.InRange(gate.CouplingDb, -6.5, -4.5);

        // Residual echo the canceller explained: still echo. A user at the echo's level: through.
        Assert.False(gate.MayBeUser(new EchoWindowLevels(-26, -45, -20)));
        Assert.True(gate.MayBeUser(new EchoWindowLevels(-22, -24, -20)));
        // A quiet tail after a loud word, not cancelled: too quiet to be the user.
        Assert.False(gate.MayBeUser(new EchoWindowLevels(-40, -41, -20)));
    }
}

public class CouplingMeterTests
{
    [Fact]
    public void Measures_the_echo_gain_at_the_main_delay_and_ignores_an_unrelated_voice()
    {
        var random = new Random(3);
        var meter = new CouplingMeter();
        Assert.Null(meter.CouplingDb);
        for (var frame = 0; frame < 200; frame++)
        {
            var reference = Enumerable.Range(0, 320).Select(_ => (float)(random.NextDouble() - 0.5) * 0.5f).ToArray();
            // The microphone: 0.25 × the reference (-12 dB) plus an unrelated talker as loud as the echo.
            var mic = reference.Select(r => 0.25f * r + (float)(random.NextDouble() - 0.5) * 0.125f).ToArray();
            meter.Add(mic, reference);
        }
        Assert.InRange(meter.CouplingDb!.Value, -13, -11);
    }
}

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

    [Fact]
    public void A_sudden_drop_in_the_cancellers_measure_after_it_settled_is_followed_slowly()
    {
        var gate = new EchoGate();
        for (var i = 0; i < 30; i++) gate.CancellerErleDb = 22;
        Assert.True(gate.Converged);

        // A user's onset makes the canceller's leakage look like a filter that lost the path.
        gate.CancellerErleDb = 4;
        Assert.True(gate.Converged);
        Assert.Equal(22 - EchoGate.ErleFallPerUpdate, gate.ErleDb, 6);

        // A filter that stays lost is believed within about a second (50 frames).
        for (var i = 0; i < 50; i++) gate.CancellerErleDb = 4;
        Assert.False(gate.Converged);
        Assert.Equal(4, gate.ErleDb, 6);
    }

    [Fact]
    public void Right_after_a_realignment_a_drop_counts_at_once()
    {
        var gate = new EchoGate();
        for (var i = 0; i < 30; i++) gate.CancellerErleDb = 22;

        // A realignment: the filter was off.
        gate.ReferenceRealigned();
        gate.CancellerErleDb = 4;
        Assert.False(gate.Converged);

        // Once it has explained the echo after the seam for a while, the hold is back.
        for (var i = 0; i < EchoGate.SettledUpdates; i++) gate.CancellerErleDb = 22;
        gate.CancellerErleDb = 4;
        Assert.True(gate.Converged);
    }

    [Fact]
    public void After_a_new_stream_a_settled_filter_is_held_again_sooner_than_after_a_realignment()
    {
        var gate = new EchoGate();
        for (var i = 0; i < 100; i++) gate.CancellerErleDb = 22;

        // Right after a new stream the placement may be off: a dip counts at once.
        gate.NewStreamPlaced();
        gate.CancellerErleDb = 4;
        Assert.False(gate.Converged);

        // The echo path did not change: once the filter explains the new stream's echo for the
        // settling time, the hold is back (after a realignment it takes SettledUpdates).
        var held = new EchoGate();
        for (var i = 0; i < 100; i++) held.CancellerErleDb = 22;
        held.NewStreamPlaced();
        for (var i = 0; i < EchoGate.NewStreamUpdates; i++) held.CancellerErleDb = 22;
        held.CancellerErleDb = 4;
        Assert.True(held.Converged);

        var realigned = new EchoGate();
        for (var i = 0; i < 100; i++) realigned.CancellerErleDb = 22;
        realigned.ReferenceRealigned();
        for (var i = 0; i < EchoGate.NewStreamUpdates; i++) realigned.CancellerErleDb = 22;
        realigned.CancellerErleDb = 4;
        Assert.False(realigned.Converged);
    }

    [Fact]
    public void A_new_stream_does_not_shorten_the_wait_of_a_filter_that_has_only_just_converged()
    {
        var gate = new EchoGate();
        for (var i = 0; i < 5; i++) gate.CancellerErleDb = 22;
        gate.NewStreamPlaced();
        for (var i = 0; i < EchoGate.NewStreamUpdates; i++) gate.CancellerErleDb = 22;
        gate.CancellerErleDb = 4;
        Assert.False(gate.Converged);
    }

    [Fact]
    public void A_canceller_that_has_only_just_converged_is_believed_at_once_when_it_dips()
    {
        var gate = new EchoGate();
        for (var i = 0; i < 10; i++) gate.CancellerErleDb = 22;
        Assert.True(gate.Converged);

        gate.CancellerErleDb = 12;
        Assert.False(gate.Converged);
        Assert.Equal(12, gate.ErleDb, 6);
    }
}

public class CouplingMeterTests
{
    [Fact]
    public void A_falling_coupling_measurement_is_followed_slowly_and_a_rising_one_at_once()
    {
        // A reference a few samples off reads as a weaker echo path, though the room is the same.
        var gate = new EchoGate { MeasuredCouplingDb = 3 };
        gate.MeasuredCouplingDb = -10;
        Assert.Equal(3 - EchoGate.MeasuredCouplingFallPerUpdate, gate.MeasuredCouplingDb!.Value, 6);
        for (var frame = 0; frame < 50; frame++) gate.MeasuredCouplingDb = -10; // one second more
        Assert.InRange(gate.MeasuredCouplingDb!.Value, 1.9, 2.1);
        gate.MeasuredCouplingDb = 6;
        Assert.Equal(6, gate.MeasuredCouplingDb!.Value);
        gate.MeasuredCouplingDb = null;
        Assert.Null(gate.MeasuredCouplingDb);
    }

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
            meter.Add(mic, reference, mainTap: 40);
        }
        Assert.InRange(meter.CouplingDb!.Value, -13, -11);
    }

    [Fact]
    public void A_measurement_counts_only_once_the_main_delay_has_held_still()
    {
        var random = new Random(5);
        var meter = new CouplingMeter();
        void Feed(int frames, int mainTap)
        {
            for (var frame = 0; frame < frames; frame++)
            {
                var reference = Enumerable.Range(0, 320).Select(_ => (float)(random.NextDouble() - 0.5) * 0.5f).ToArray();
                meter.Add(reference.Select(r => 0.25f * r).ToArray(), reference, mainTap);
            }
        }
        Feed(100, mainTap: 40);
        Assert.NotNull(meter.CouplingDb);
        // The canceller moved its strongest tap: what was measured at the old one no longer counts.
        Feed(5, mainTap: 120);
        Assert.Null(meter.CouplingDb);
        // A wobble of a sample or two is the same delay.
        Feed(30, mainTap: 121);
        Assert.InRange(meter.CouplingDb!.Value, -13, -11);
    }
}

using VoiceAgent.Simulation;
using VoiceAgent.TestSupport;

namespace VoiceAgent.Simulation.Tests;

/// <summary>
/// The shipped scenarios, run in real time in the virtual room with the real TTS path (embedded
/// espeak-ng server over a loopback WebSocket), the real Silero VAD and the real actors. The
/// limits are checked on the recorded timeline (room clock and played track).
/// </summary>
[Collection(RealTimeScenarios.Name)]
public class ScenarioTests(ITestOutputHelper output)
{
    private Task<ScenarioReport> Run(string name) => ShippedScenario.RunAsync(name, output);

    [Fact]
    public async Task A_user_interrupting_mid_reply_is_detected_fast_and_silences_playback()
    {
        AssertInterruptedFast(await Run("interrupt-mid-reply"));
    }

    /// <summary>The interruption bars: one barge-in by the user, detected within 150 ms of the
    /// onset (capture clock), playback silent within 20 ms of the pause order, force sent, no
    /// false interruption, the reply cut.</summary>
    internal static void AssertInterruptedFast(ScenarioReport report)
    {
        Assert.True(report.Passed, $"{report.Scenario}: {string.Join("; ", report.Failures)}");
        var interruption = Assert.Single(report.Interruptions);
        Assert.True(interruption.ByUser);
        Assert.InRange(interruption.DetectionLatencyMs!.Value, 0, 150);
        Assert.InRange(interruption.SilentAfterDetectionMs, 0, 20);
        Assert.True(interruption.ForceSent);
        Assert.Equal(0, report.FalseInterruptions);
        Assert.Equal("interrupted", report.ReplyOutcome);
    }

    [Fact]
    public async Task The_agents_own_echo_never_interrupts_it()
    {
        var report = await Run("echo-only");

        Assert.Empty(report.Interruptions);
        Assert.Equal(0, report.FalseInterruptions);
        Assert.Empty(report.ForceSent);
        Assert.Equal("completed", report.ReplyOutcome);
        // Any echo-caused pause would at least be dismissed again: playback resumes, nothing is lost.
        Assert.All(report.Pauses, pause => Assert.Equal("dismissed", pause.Outcome));
        Assert.True(report.Passed, string.Join("; ", report.Failures));
    }

    [Fact]
    public async Task A_cough_pauses_and_resumes_without_force()
    {
        var report = await Run("cough");

        // The scenario's contract, which its own verdict checks too: neither sound interrupts, no
        // force is sent and the reply completes; any pause they cause is dismissed and resumes.
        // Whether a pause happens at all is not part of it: on an idle machine the voiced sound
        // (and usually the cough) pauses playback, but on a starved one the echo reference can
        // reach the listening engine after the frames holding its echo, and the gate then holds a
        // 150 ms sound back as possible echo; the agent talking on over a short "uh" is a correct
        // outcome (docs/listening.md, known limits).
        Assert.All(report.Pauses, pause =>
        {
            Assert.Equal("dismissed", pause.Outcome);
            Assert.NotNull(pause.ResumedMs);
            Assert.InRange(pause.PlaybackSilentMs!.Value - pause.OrderedMs, -1000, 20);
        });
        Assert.All(report.Pauses.Where(p => p.OnsetMs is not null), pause => Assert.InRange(pause.DetectedMs - pause.OnsetMs!.Value, 0, 150));
        Assert.Equal(report.Pauses.Count, report.ResumesMs.Count);
        Assert.Empty(report.Interruptions);
        Assert.Equal(0, report.FalseInterruptions);
        Assert.Empty(report.ForceSent);
        Assert.Equal("completed", report.ReplyOutcome);
        Assert.True(report.Passed, string.Join("; ", report.Failures));
    }
}

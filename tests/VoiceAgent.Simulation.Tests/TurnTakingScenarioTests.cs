using VoiceAgent.Simulation;
using VoiceAgent.TestSupport;

namespace VoiceAgent.Simulation.Tests;

/// <summary>
/// The turn-taking scenarios, in real time in the virtual room with the real pipeline and the
/// scripted recognizer (a test double) hearing the scenario's words: a backchannel, a
/// transcribed echo, a slow speaker, an interruption during a tool call. Judged on the room's
/// timeline.
/// </summary>
[Collection(RealTimeScenarios.Name)]
public sealed class TurnTakingScenarioTests(ITestOutputHelper output)
{
    private Task<ScenarioReport> Run(string name) => ShippedScenario.RunAsync(name, output);

    [Fact]
    public async Task A_backchannel_pauses_the_reply_which_then_resumes_and_completes()
    {
        var report = await Run("backchannel");

        Assert.Contains("test double", report.TurnTaking.Recognizer);
        Assert.Equal("uh-huh", Assert.Single(report.TurnTaking.Backchannels).Text);
        Assert.NotEmpty(report.ResumesMs);
        Assert.Empty(report.ForceSent);
        Assert.Equal("completed", report.ReplyOutcome);
        Assert.True(report.Passed, string.Join("; ", report.Failures));
    }

    [Fact]
    public async Task The_agents_transcribed_echo_is_dropped_and_starts_no_turn()
    {
        var report = await Run("echo-transcript");

        Assert.NotEmpty(report.TurnTaking.EchoTranscriptsDropped);
        Assert.Equal(0, report.TurnTaking.UserTurnsStarted);
        Assert.Empty(report.ForceSent);
        Assert.Equal("completed", report.ReplyOutcome);
        Assert.True(report.Passed, string.Join("; ", report.Failures));
    }

    [Fact]
    public async Task A_slow_speaker_pausing_mid_sentence_takes_one_turn_not_two()
    {
        var report = await Run("slow-speaker");

        // What the recognizer heard is the script, not the audio (jfk.wav says something else).
        Assert.Contains("test double", report.TurnTaking.Recognizer);
        Assert.All(report.TurnTaking.EndOfTurn, t => Assert.DoesNotContain("fellow", t.Text, StringComparison.OrdinalIgnoreCase));
        // Both halves in one transcript, one turn, one answer.
        var end = Assert.Single(report.TurnTaking.EndOfTurn);
        Assert.Equal("I was wondering if you could tell me a story.", end.Text);
        Assert.NotEmpty(report.TurnTaking.UserTurnContinuedMs);
        Assert.Equal(1, report.TurnTaking.UserTurnsStarted);
        Assert.NotNull(Assert.Single(report.Turns).FirstAudioMs);
        Assert.True(report.Passed, string.Join("; ", report.Failures));
    }

    [Fact]
    public async Task A_reply_started_on_words_left_open_is_spoken_when_the_turn_ends()
    {
        var report = await Run("thinking-pause");

        // The open sentence waited the longest silence, and the reply ran meanwhile, held unspoken.
        var end = Assert.Single(report.TurnTaking.EndOfTurn);
        Assert.True(end.DelayMs >= 1900, $"the turn ended {end.DelayMs} ms after the speech ({end.Reason})");
        var preemptive = Assert.Single(report.TurnTaking.PreemptiveReplies);
        Assert.Equal("used", preemptive.Outcome);
        Assert.True(preemptive.SavedMs > 0);
        Assert.True(report.Passed, string.Join("; ", report.Failures));
    }

    [Fact]
    public async Task An_interruption_during_a_tool_call_cancels_the_call_and_leaves_none_running()
    {
        var report = await Run("tool-interrupted");

        Assert.Equal("interrupted", report.ReplyOutcome);
        Assert.Contains("force", report.ForceSent);
        var call = Assert.Single(report.TurnTaking.ToolCalls);
        Assert.Equal("cancelled", call.Outcome);
        Assert.True(report.Passed, string.Join("; ", report.Failures));
    }
}

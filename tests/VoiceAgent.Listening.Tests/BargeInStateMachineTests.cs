using VoiceAgent.Listening.Interruptions;
using VoiceAgent.Listening.Vad;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Listening.Tests;

public class BargeInStateMachineTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(32);
    private static readonly TurnId Turn = new(4);

    /// <summary>Feeds a pattern of windows ('S' speech, '.' silence) through a segmenter into the machine.</summary>
    private static List<BargeInDecision> Run(BargeInStateMachine machine, string pattern, TimeSpan start = default)
    {
        var segmenter = new SpeechSegmenter(0.5f, TimeSpan.FromMilliseconds(300));
        var decisions = new List<BargeInDecision>();
        var t = start;
        foreach (var c in pattern)
        {
            // 'S' confident speech, 't' the decaying tail after a sound (kept in the segment by hysteresis).
            var step = segmenter.Step(t, t + Window, c switch { 'S' => 0.9f, 't' => 0.4f, _ => 0.05f });
            if (machine.Observe(step) is { } d) decisions.Add(d);
            t += Window;
        }
        return decisions;
    }

    private static BargeInStateMachine Speaking(bool enabled = true)
    {
        var machine = new BargeInStateMachine(TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(600), enabled);
        machine.AgentSpeaking(Turn);
        return machine;
    }

    [Fact]
    public void Sustained_speech_pauses_at_onset_then_confirms_after_min_speech()
    {
        var decisions = Run(Speaking(), "...SSSSSSSSSSSS");
        Assert.Equal([BargeInAction.Pause, BargeInAction.Confirm], decisions.Select(d => d.Action));
        var pause = decisions[0];
        Assert.Equal(TimeSpan.FromMilliseconds(96), pause.Onset);
        Assert.Equal(TimeSpan.FromMilliseconds(128), pause.At);
        // 8 windows of 32 ms = 256 ms ≥ 250 ms.
        Assert.Equal(pause.Onset + 8 * Window, decisions[1].At);
        Assert.All(decisions, d => Assert.Equal(Turn, d.Turn));
    }

    [Fact]
    public void A_cough_pauses_and_is_dismissed_when_its_segment_ends()
    {
        // Five windows of noise, then silence: the segment ends after the minimum silence (300 ms here).
        var decisions = Run(Speaking(), "..SSSSS..............................");
        Assert.Equal([BargeInAction.Pause, BargeInAction.Dismiss], decisions.Select(d => d.Action));
        Assert.InRange((decisions[1].At - decisions[0].Onset).TotalMilliseconds, 160 + 300, 600);
    }

    [Fact]
    public void Scattered_sounds_that_never_add_up_are_dismissed_after_resume_after()
    {
        // One window in three is speech-like: the segment goes on, but 250 ms of speech is not
        // reached within 600 ms of the onset.
        var decisions = Run(Speaking(), "S..S..S..S..S..S..S..S..S..S..");
        Assert.Equal([BargeInAction.Pause, BargeInAction.Dismiss], decisions.Select(d => d.Action));
        Assert.InRange((decisions[1].At - decisions[0].Onset).TotalMilliseconds, 600, 632);
    }

    [Fact]
    public void A_short_sound_and_its_decaying_tail_do_not_confirm_when_only_confident_windows_count()
    {
        // 3 confident windows (96 ms) and 8 tail windows: the segment stays open well past 250 ms.
        const string shortSoundThenTail = "SSStttttttt..................";
        var confident = new BargeInStateMachine(TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(600), confirmProbability: 0.5f);
        confident.AgentSpeaking(Turn);
        Assert.Equal([BargeInAction.Pause, BargeInAction.Dismiss], Run(confident, shortSoundThenTail).Select(d => d.Action));

        // Counting every window the segmenter keeps would have called it an interruption.
        Assert.Contains(Run(Speaking(), shortSoundThenTail), d => d.Action == BargeInAction.Confirm);
    }

    /// <summary>Speaker mode: the machine is told when the pause took effect at the microphone.</summary>
    private static BargeInStateMachine SpeakingAloud()
    {
        var machine = new BargeInStateMachine(TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(600), haltWait: TimeSpan.FromSeconds(2));
        machine.AgentSpeaking(Turn);
        return machine;
    }

    /// <summary>Speech from the first window on; after two windows the machine hears that the
    /// pause takes effect at window 20 (640 ms); then <paramref name="rest"/>.</summary>
    private static List<BargeInDecision> HaltedAfter20Windows(string rest)
    {
        var machine = SpeakingAloud();
        var decisions = Run(machine, "SS");
        machine.AgentHalted(20 * Window);
        decisions.AddRange(Run(machine, rest, 2 * Window));
        return decisions;
    }

    [Fact]
    public void Through_speakers_speech_that_stops_when_the_agent_falls_silent_was_its_echo_and_is_dismissed()
    {
        // A listener running late: the pause takes effect 640 ms after the onset, and the "speech"
        // (the agent's own echo) lasts exactly until then, long past 250 ms.
        var decisions = HaltedAfter20Windows("SSSSSSSSSSSSSSSSSS...............");

        Assert.Equal([BargeInAction.Pause, BargeInAction.Dismiss], decisions.Select(d => d.Action));
        // Without the halt rule the same windows confirm.
        Assert.Contains(Run(Speaking(), "SSSSSSSSSSSSSSSSSSSS"), d => d.Action == BargeInAction.Confirm);
    }

    [Fact]
    public void Through_speakers_a_user_still_talking_after_the_agent_fell_silent_is_confirmed_then()
    {
        var decisions = HaltedAfter20Windows("SSSSSSSSSSSSSSSSSSSSSS");

        Assert.Equal([BargeInAction.Pause, BargeInAction.Confirm], decisions.Select(d => d.Action));
        // Decided on the first window heard after the halt, not when 250 ms had been reached.
        Assert.Equal(21 * Window, decisions[1].At);
    }

    [Fact]
    public void Through_speakers_a_halt_that_is_never_heard_of_leaves_the_duration_to_decide()
    {
        var decisions = Run(SpeakingAloud(), new string('S', 90));

        Assert.Equal([BargeInAction.Pause, BargeInAction.Confirm], decisions.Select(d => d.Action));
        // Sustained after 8 windows (256 ms), then 2 s more.
        Assert.InRange(decisions[1].At.TotalMilliseconds, 256 + 2000, 256 + 2000 + 32);
    }

    [Fact]
    public void Speech_while_the_agent_is_silent_is_no_barge_in()
    {
        var machine = new BargeInStateMachine(TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(600));
        Assert.Empty(Run(machine, "SSSSSSSSSSSSSSS"));
    }

    [Fact]
    public void Disabled_barge_in_decides_nothing()
    {
        Assert.Empty(Run(Speaking(enabled: false), "SSSSSSSSSSSSSSS"));
    }

    [Fact]
    public void A_turn_that_ends_while_pending_is_dismissed()
    {
        var machine = Speaking();
        Run(machine, "SS");
        Assert.True(machine.IsPending);
        var dismissed = machine.AgentSilent(Turn, TimeSpan.FromSeconds(1));
        Assert.Equal(BargeInAction.Dismiss, dismissed?.Action);
        Assert.False(machine.IsPending);
    }

    [Fact]
    public void After_a_confirmed_barge_in_the_next_turn_can_be_interrupted_again()
    {
        var machine = Speaking();
        Assert.Contains(Run(machine, "SSSSSSSSSS............"), d => d.Action == BargeInAction.Confirm);
        machine.AgentSpeaking(Turn.Next());
        var next = Run(machine, "SSSSSSSSSS", TimeSpan.FromSeconds(5));
        Assert.Equal([BargeInAction.Pause, BargeInAction.Confirm], next.Select(d => d.Action));
        Assert.All(next, d => Assert.Equal(Turn.Next(), d.Turn));
    }
}

using VoiceAgent.Core.Protocol;
using VoiceAgent.Listening.Interruptions;
using VoiceAgent.Listening.Vad;

namespace VoiceAgent.Listening.Tests;

/// <summary>The barge-in state machine when words decide: windows on the capture clock, and a
/// recognizer that answers each request for words a given number of windows later.</summary>
public class BargeInByWordsTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(32);
    private static readonly TurnId Turn = new(7);
    private static readonly WordsRule Rule = new(TimeSpan.FromSeconds(1.5), WordsRule.RetranscribeAfter);

    private static HeardWords Said(string text) => new(WordsKind.Words, text);

    private static readonly HeardWords Backchannel = new(WordsKind.Backchannel, "uh-huh");

    private static readonly HeardWords Nothing = new(WordsKind.Nothing, "");

    /// <summary>Feeds windows ('S' speech, '.' silence) through a segmenter into the machine; a
    /// request for words is answered by <c>answers[n]</c> (words, after how many windows), or
    /// never when there is no such answer.</summary>
    private sealed class Driver
    {
        private readonly SpeechSegmenter _segmenter = new(0.5f, TimeSpan.FromMilliseconds(300));
        private readonly List<(int Due, HeardWords Words, TimeSpan Onset)> _answers = [];
        private int _window;

        public Driver(bool speakers = false)
        {
            Machine = new BargeInStateMachine(TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(600),
                confirmProbability: 0.5f, haltWait: speakers ? TimeSpan.FromSeconds(2) : null);
            Machine.DecideByWords(Rule);
            Machine.AgentSpeaking(Turn);
        }

        public BargeInStateMachine Machine { get; }

        public List<(HeardWords Words, int After)> Answers { get; } = [];

        public List<BargeInDecision> Decisions { get; } = [];

        public List<BargeInDecision> Asks => [.. Decisions.Where(d => d.Action == BargeInAction.Transcribe)];

        public IEnumerable<BargeInAction> Actions => Decisions.Select(d => d.Action);

        public TimeSpan Now => _window * Window;

        public Driver Feed(string pattern)
        {
            foreach (var c in pattern)
            {
                var step = _segmenter.Step(Now, Now + Window, c == 'S' ? 0.9f : 0.05f);
                _window++;
                if (Machine.Observe(step) is { } decision)
                {
                    Decisions.Add(decision);
                    var asked = Asks.Count - 1;
                    if (decision.Action == BargeInAction.Transcribe && asked < Answers.Count)
                        _answers.Add((_window + Answers[asked].After, Answers[asked].Words, decision.Onset));
                }
                foreach (var answer in _answers.Where(a => a.Due == _window).ToList())
                    if (Machine.Heard(answer.Words, answer.Onset, Now) is { } heard) Decisions.Add(heard);
            }
            return this;
        }
    }

    [Fact]
    public void The_users_words_confirm_the_barge_in_when_they_are_heard()
    {
        var driver = new Driver { Answers = { (Said("stop right there"), 12) } }.Feed(new string('S', 40));

        Assert.Equal([BargeInAction.Pause, BargeInAction.Transcribe, BargeInAction.Confirm], driver.Actions);
        var (ask, confirm) = (driver.Decisions[1], driver.Decisions[2]);
        // Asked once the speech lasted 250 ms (8 windows); confirmed when the words came, not
        // when the duration alone would have confirmed (at the ask).
        Assert.Equal(8 * Window, ask.At);
        Assert.Equal(ask.At + 12 * Window, confirm.At);
        Assert.Equal("stop right there", confirm.Words);
        Assert.All(driver.Decisions, d => Assert.Equal(Turn, d.Turn));
    }

    [Fact]
    public void A_backchannel_resumes_the_agent_with_no_interruption_though_the_speech_goes_on()
    {
        var driver = new Driver { Answers = { (Backchannel, 5) } }.Feed(new string('S', 60));

        Assert.Equal([BargeInAction.Pause, BargeInAction.Transcribe, BargeInAction.Dismiss], driver.Actions);
        Assert.False(driver.Machine.IsPending);
    }

    [Fact]
    public void The_agents_own_words_resume_it()
    {
        var driver = new Driver { Answers = { (new HeardWords(WordsKind.Echo, "quite a while"), 5) } }.Feed(new string('S', 60));
        Assert.Equal([BargeInAction.Pause, BargeInAction.Transcribe, BargeInAction.Dismiss], driver.Actions);
    }

    [Fact]
    public void Once_its_own_words_came_back_the_agent_is_no_longer_paused_by_onsets_in_that_turn_and_only_words_interrupt()
    {
        var echo = new HeardWords(WordsKind.Echo, "quite a while");
        var driver = new Driver(speakers: true) { Answers = { (echo, 3), (echo, 3), (Nothing, 3), (Said("hold on"), 3) } }
            .Feed(new string('S', 20) + new string('.', 12))
            // Echo again: listened to, dismissed without a pause or a resume.
            .Feed(new string('S', 20) + new string('.', 12))
            // Words that decide nothing and a segment that ends: no duration fallback either.
            .Feed(new string('S', 12) + new string('.', 12))
            // The user's words interrupt, with no halt to wait for.
            .Feed(new string('S', 20));

        Assert.Equal(
            [BargeInAction.Pause, BargeInAction.Transcribe, BargeInAction.Dismiss, BargeInAction.Transcribe, BargeInAction.Transcribe, BargeInAction.Transcribe, BargeInAction.Confirm],
            driver.Actions);
        Assert.Equal("hold on", driver.Decisions[^1].Words);

        // A new turn pauses at its first onset again.
        driver.Machine.AgentSilent(Turn, driver.Now);
        driver.Machine.AgentSpeaking(new TurnId(8));
        Assert.Equal(BargeInAction.Pause, driver.Feed(new string('.', 12) + "S").Decisions[^1].Action);
    }

    [Fact]
    public void No_words_decide_nothing_and_further_speech_is_transcribed_again()
    {
        var driver = new Driver { Answers = { (Nothing, 2), (Said("wait"), 4) } }.Feed(new string('S', 45));

        Assert.Equal([BargeInAction.Pause, BargeInAction.Transcribe, BargeInAction.Transcribe, BargeInAction.Confirm], driver.Actions);
        var asks = driver.Asks;
        // The second asks for the overlap again once 300 ms more speech was heard (10 windows).
        Assert.Equal(asks[0].At + 10 * Window, asks[1].At);
        Assert.Equal(asks[0].Onset, asks[1].Onset);
        Assert.Equal("wait", driver.Decisions[^1].Words);
    }

    [Fact]
    public void Only_one_transcription_runs_at_a_time()
    {
        // The first answer takes 25 windows (800 ms): no second request meanwhile.
        var driver = new Driver { Answers = { (Nothing, 25), (Said("no"), 2) } }.Feed(new string('S', 40));

        var asks = driver.Asks;
        Assert.Equal(2, asks.Count);
        // The second is asked on the window after the first answer.
        Assert.Equal(asks[0].At + (25 + 1) * Window, asks[1].At);
    }

    [Fact]
    public void A_slow_recognizer_leaves_the_agent_paused_no_longer_than_max_pause_then_the_duration_decides()
    {
        // Sustained speech, and words that never come.
        var driver = new Driver().Feed(new string('S', 70));

        Assert.Equal([BargeInAction.Pause, BargeInAction.Transcribe, BargeInAction.Confirm], driver.Actions);
        var confirm = driver.Decisions[^1];
        Assert.InRange(confirm.At - confirm.Onset, Rule.MaxPause, Rule.MaxPause + Window);
        Assert.Null(confirm.Words);

        // A short sound whose words never come is dismissed then, as the duration rule has it.
        var cough = new Driver().Feed("SSSS" + new string('.', 60));
        Assert.Equal([BargeInAction.Pause, BargeInAction.Transcribe, BargeInAction.Dismiss], cough.Actions);
        Assert.InRange(cough.Decisions[^1].At - cough.Decisions[0].Onset, Rule.MaxPause, Rule.MaxPause + Window);
    }

    [Fact]
    public void Words_that_come_after_the_duration_took_over_change_nothing()
    {
        var driver = new Driver { Answers = { (Said("stop"), 60) } }.Feed("SSSS" + new string('.', 80));

        Assert.Equal([BargeInAction.Pause, BargeInAction.Transcribe, BargeInAction.Dismiss], driver.Actions);
    }

    [Fact]
    public void A_short_sound_is_transcribed_when_its_segment_ends_and_its_words_decide()
    {
        // "stop": 160 ms of speech, never 250 ms; asked for when the segment ends.
        var driver = new Driver { Answers = { (Said("stop"), 3) } }.Feed("SSSSS" + new string('.', 30));

        Assert.Equal([BargeInAction.Pause, BargeInAction.Transcribe, BargeInAction.Confirm], driver.Actions);
        Assert.Equal("stop", driver.Decisions[^1].Words);
    }

    [Fact]
    public void An_ended_segment_whose_words_said_nothing_is_left_to_the_duration_at_once()
    {
        // Sustained (a laugh), then silence; the overlap and the rest of the segment say nothing.
        var driver = new Driver { Answers = { (Nothing, 1), (Nothing, 1) } }.Feed(new string('S', 12) + new string('.', 30));

        Assert.Equal([BargeInAction.Pause, BargeInAction.Transcribe, BargeInAction.Transcribe, BargeInAction.Confirm], driver.Actions);
        // Decided at the last answer, long before max-pause.
        Assert.True(driver.Decisions[^1].At - driver.Decisions[0].Onset < Rule.MaxPause);
    }

    [Fact]
    public void A_click_too_short_to_transcribe_is_dismissed_as_without_words()
    {
        var driver = new Driver().Feed("SS" + new string('.', 30));
        Assert.Equal([BargeInAction.Pause, BargeInAction.Dismiss], driver.Actions);
    }

    [Fact]
    public void Words_about_an_earlier_onset_are_ignored()
    {
        var driver = new Driver().Feed(new string('S', 10));
        Assert.Null(driver.Machine.Heard(Said("stop"), driver.Decisions[0].Onset + Window, driver.Now));
        Assert.True(driver.Machine.IsPending);
    }

    [Fact]
    public void Through_speakers_words_confirm_only_once_speech_was_heard_after_the_halt()
    {
        var driver = new Driver(speakers: true) { Answers = { (Said("hold on"), 1) } };
        driver.Feed("SS");
        driver.Machine.AgentHalted(20 * Window);
        driver.Feed(new string('S', 30));

        Assert.Equal([BargeInAction.Pause, BargeInAction.Transcribe, BargeInAction.Confirm], driver.Actions);
        // The words came at window 9; the first window heard after the halt is window 20.
        Assert.Equal(21 * Window, driver.Decisions[^1].At);
        Assert.Equal("hold on", driver.Decisions[^1].Words);
    }

    [Fact]
    public void Without_a_words_rule_the_duration_decides_as_before()
    {
        var machine = new BargeInStateMachine(TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(600));
        machine.AgentSpeaking(Turn);
        var segmenter = new SpeechSegmenter(0.5f, TimeSpan.FromMilliseconds(300));
        var decisions = Enumerable.Range(0, 12)
            .Select(i => machine.Observe(segmenter.Step(i * Window, (i + 1) * Window, 0.9f)))
            .OfType<BargeInDecision>().ToList();

        Assert.Equal([BargeInAction.Pause, BargeInAction.Confirm], decisions.Select(d => d.Action));
        Assert.Null(machine.Heard(Said("stop"), decisions[0].Onset, 12 * Window));
    }
}

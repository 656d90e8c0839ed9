using VoiceAgent.Core.Protocol;
using VoiceAgent.Simulation;

namespace VoiceAgent.Simulation.Tests;

/// <summary>The scripted recognizer (a test double) hears the scenario's words where they sound
/// on the room's clock, and the agent's own words where only the agent was playing.</summary>
public sealed class ScriptedRecognizerTests
{
    private static readonly TurnId Turn = new(1);
    private static readonly DateTimeOffset Wall = DateTimeOffset.UnixEpoch;
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    // "one two three four" over 2 s of played audio from room time 1 s, by characters:
    // one [0, 0.42], two [0.42, 0.84], three [0.84, 1.47], four [1.47, 2] s into the reply.
    private static readonly List<TimelineEntry> Reply =
    [
        new(S(0.9), new AgentTextCompleted(Turn, "one two three four")),
        new(S(1.0), new PlaybackStarted(Turn, Wall)),
        new(S(3.0), new PlaybackFinished(Turn, S(2), "one two three four", Wall)),
    ];

    private static ScriptedRecognizer Recognizer(ScriptedUserWords user, IReadOnlyList<TimelineEntry> timeline, double now = 10, double delay = 0) =>
        new(user, () => timeline, () => S(now), new ScriptedRecognizerOptions(S(delay), TimeSpan.Zero, S(0.3)));

    [Fact]
    public async Task It_returns_the_words_of_the_user_sounds_that_overlap_the_utterance_in_order()
    {
        var user = new ScriptedUserWords();
        user.Add(S(5), S(5.5), "uh-huh");
        user.Add(S(2), S(2.4), "yeah");
        user.Add(S(8), S(9), "later");
        var recognizer = Recognizer(user, []);

        // 16 000 samples: one second of audio from room time 1.9 s on, then 4.8 s on.
        Assert.Equal("yeah", await recognizer.TranscribeAsync(new short[16_000], S(1.9), CancellationToken.None));
        Assert.Equal("yeah uh-huh", await recognizer.TranscribeAsync(new short[64_000], S(2.2), CancellationToken.None));
        Assert.Equal("", await recognizer.TranscribeAsync(new short[16_000], S(6), CancellationToken.None));
    }

    [Theory]
    [InlineData(1.0, 1.3, "one")]
    [InlineData(2.0, 2.3, "three")]
    [InlineData(1.3, 1.9, "one two three")]
    [InlineData(3.2, 4.0, "")]
    public void Where_only_the_agent_played_it_hears_the_words_spread_over_the_played_audio(double from, double to, string expected)
    {
        Assert.Equal(expected, Recognizer(new ScriptedUserWords(), Reply).Hear(S(from), S(to)));
    }

    [Fact]
    public void Progress_reports_place_each_sentence_where_playback_heard_it()
    {
        // Two sentences of very different speaking rates: the first takes 3 s, the second 1 s.
        List<TimelineEntry> reply =
        [
            new(S(0.9), new AgentTextCompleted(Turn, "One two. Three four.")),
            new(S(1.0), new PlaybackStarted(Turn, Wall)),
            new(S(4.0), new PlaybackProgress(Turn, S(3), "One two.")),
            new(S(5.0), new PlaybackFinished(Turn, S(4), "One two. Three four.", Wall)),
        ];
        var recognizer = Recognizer(new ScriptedUserWords(), reply);

        Assert.Equal("two.", recognizer.Hear(S(3.5), S(3.9)));
        Assert.Equal("Three", recognizer.Hear(S(4.1), S(4.3)));
    }

    [Fact]
    public void A_pause_holds_the_agents_words_back_until_playback_resumes()
    {
        List<TimelineEntry> paused =
        [
            .. Reply.Take(2),
            new(S(1.5), new PlaybackPaused(Turn, Wall)),
            new(S(2.5), new PlaybackResumed(Turn, Wall)),
            new(S(4.0), new PlaybackFinished(Turn, S(2), "one two three four", Wall)),
        ];
        var recognizer = Recognizer(new ScriptedUserWords(), paused);

        Assert.Equal("", recognizer.Hear(S(1.6), S(2.4)));
        // 0.5 s played before the pause, 0.1 s after it: "two".
        Assert.Equal("two", recognizer.Hear(S(2.55), S(2.6)));
    }

    [Fact]
    public void The_users_words_win_over_the_agents_under_them()
    {
        var user = new ScriptedUserWords();
        user.Add(S(1.2), S(1.6), "stop");

        Assert.Equal("stop", Recognizer(user, Reply).Hear(S(1.0), S(2.0)));
    }

    [Fact]
    public void A_reply_still_playing_is_spread_at_the_voices_speaking_rate()
    {
        // Not finished yet: 19 characters at 14 a second, played from 1 s on.
        List<TimelineEntry> playing = [.. Reply.Take(2)];
        var recognizer = Recognizer(new ScriptedUserWords(), playing, now: 2.5);

        Assert.Equal("four", recognizer.Hear(S(2.2), S(2.4)));
    }

    [Fact]
    public async Task Without_a_capture_start_the_utterance_is_taken_to_end_as_the_silence_ending_it_began()
    {
        var user = new ScriptedUserWords();
        user.Add(S(4.0), S(4.5), "uh-huh");
        // Now 5.0 s; the engine hands utterances over 0.3 s after their last sample: 4.2 .. 4.7 s.
        var recognizer = Recognizer(user, [], now: 5.0);

        Assert.Equal("uh-huh", await recognizer.TranscribeAsync(new short[8_000], CancellationToken.None));
    }

    [Fact]
    public void It_is_shown_as_a_test_double()
    {
        var recognizer = Recognizer(new ScriptedUserWords(), []);
        Assert.Contains("test double", recognizer.Name);
        Assert.Contains("test double", recognizer.Description);
    }
}

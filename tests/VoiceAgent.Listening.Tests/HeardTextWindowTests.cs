using VoiceAgent.Core.Protocol;
using VoiceAgent.Listening.Interruptions;
using VoiceAgent.Listening.Words;

namespace VoiceAgent.Listening.Tests;

/// <summary>What playback was saying when (capture clock), and the screen that judges
/// transcripts against it.</summary>
public class HeardTextWindowTests
{
    private static readonly TurnId Turn = new(3);

    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    /// <summary>Three sentences streamed as text; playback starts at 10 s, the first sentence is
    /// heard by 12 s, the second by 14 s.</summary>
    private static HeardTextWindow Playing()
    {
        var window = new HeardTextWindow(S(0.5), S(10));
        window.TurnStarted(Turn);
        foreach (var delta in new[] { "The sun is out. ", "Bring a hat and ", "some water. Rain comes ", "later tonight." })
            window.Text(Turn, delta);
        window.PlaybackStarted(Turn, S(10));
        window.Progress(Turn, "The sun is out.", S(12));
        window.Progress(Turn, "The sun is out. Bring a hat and some water.", S(14));
        return window;
    }

    [Fact]
    public void While_a_sentence_plays_its_words_and_the_next_are_what_was_played()
    {
        var window = Playing();
        Assert.Equal("Bring a hat and some water. Rain comes later tonight.", window.PlayedDuring(S(12.8), S(13.2)));
        // A span from the first sentence into the second holds both.
        Assert.StartsWith("The sun is out. Bring a hat", window.PlayedDuring(S(11), S(13)));
    }

    [Fact]
    public void Before_playback_and_after_it_ended_nothing_was_played()
    {
        var window = Playing();
        Assert.Equal("", window.PlayedDuring(S(5), S(9)));
        window.PlaybackEnded(Turn, "The sun is out. Bring a hat and some water. Rain comes later tonight.", S(16));
        Assert.Equal("Rain comes later tonight.", window.PlayedDuring(S(15), S(15.5)));
        Assert.Equal("", window.PlayedDuring(S(17), S(18)));
    }

    [Fact]
    public void A_stopped_turn_played_nothing_after_what_was_heard()
    {
        var window = Playing();
        window.PlaybackEnded(Turn, "The sun is out. Bring a hat and some water. Rain", S(14.5));
        Assert.Equal("Rain", window.PlayedDuring(S(14.6), S(14.9)));
    }

    [Fact]
    public void Turns_long_over_are_forgotten()
    {
        var window = Playing();
        window.PlaybackEnded(Turn, "The sun is out.", S(14));
        var next = Turn.Next();
        window.TurnStarted(next);
        window.Text(next, "Anything else?");
        window.PlaybackStarted(next, S(30));
        window.PlaybackEnded(next, "Anything else?", S(31));
        Assert.Equal("", window.PlayedDuring(S(13), S(14)));
    }

    private static TranscriptScreen Screen(int minWords = 1) => new(BackchannelPhrases.Default, minWords, Playing());

    [Fact]
    public void The_overlap_is_the_users_words_a_backchannel_echo_or_nothing()
    {
        var screen = Screen();
        Assert.Equal(WordsKind.Words, screen.Overlap("Wait, stop.", S(12.5), S(12.3), S(13)).Kind);
        Assert.Equal(WordsKind.Backchannel, screen.Overlap("Mm-hmm.", S(12.5), S(12.3), S(13)).Kind);
        var echo = screen.Overlap("bring a cat and some", S(12.5), S(12.3), S(13));
        Assert.Equal(WordsKind.Echo, echo.Kind);
        Assert.Contains("Bring a hat", echo.Playing);
        Assert.Equal(WordsKind.Nothing, screen.Overlap(" [BLANK_AUDIO] ", S(12.5), S(12.3), S(13)).Kind);
        // One word the agent was saying ("and") may be the user's first: it decides nothing yet.
        Assert.Equal(WordsKind.Nothing, screen.Overlap("and", S(12.5), S(12.3), S(13)).Kind);
        Assert.Equal(WordsKind.Words, screen.Overlap("and so", S(12.5), S(12.3), S(13)).Kind);
        Assert.Equal(1, screen.EchoesDropped);
    }

    [Fact]
    public void A_backchannel_word_the_agent_itself_was_saying_is_its_echo_not_the_users()
    {
        var window = new HeardTextWindow(S(0.5), S(10));
        window.TurnStarted(Turn);
        window.Text(Turn, "Sure, here is the weather. ");
        window.PlaybackStarted(Turn, S(10));
        var screen = new TranscriptScreen(BackchannelPhrases.Default, 1, window);

        var heard = screen.Overlap("Sure.", S(10.2), S(10), S(10.6));

        Assert.Equal(WordsKind.Echo, heard.Kind);
        Assert.Equal(0, screen.BackchannelsHeard);
        // The same word while the agent says something else is the user's backchannel.
        Assert.Equal(WordsKind.Backchannel, Screen().Overlap("Sure.", S(12.5), S(12.3), S(13)).Kind);
    }

    [Fact]
    public void Min_words_counts_the_users_own_words_only()
    {
        var screen = Screen(minWords: 2);
        Assert.Equal(WordsKind.Nothing, screen.Overlap("okay stop", S(12.5), S(12.3), S(13)).Kind);
        Assert.Equal(WordsKind.Words, screen.Overlap("okay stop now", S(12.5), S(12.3), S(13)).Kind);
    }

    [Fact]
    public void A_backchannel_over_the_agent_is_no_turn_and_is_counted_once()
    {
        var screen = Screen();
        screen.SegmentBegan(S(12.5), Turn);
        // The overlap heard it first...
        Assert.Equal(WordsKind.Backchannel, screen.Overlap("uh-huh", S(12.5), S(12.3), S(13)).Kind);
        Assert.True(screen.FirstBackchannel(S(12.5)));
        // ...then the whole utterance: dropped, not counted again.
        var verdict = screen.Final("Uh huh.", S(12.5), S(12.3), S(13.2));
        Assert.Equal((TranscriptFate.Backchannel, false, Turn), (verdict.Fate, verdict.FirstOfSegment, verdict.AgentTurn));
        Assert.Equal(1, screen.BackchannelsHeard);
    }

    [Fact]
    public void A_backchannel_with_the_agent_silent_or_after_an_interruption_is_the_users_turn()
    {
        var screen = Screen();
        screen.SegmentBegan(S(20), TurnId.None);
        Assert.Equal(TranscriptFate.Keep, screen.Final("Okay.", S(20), S(19.8), S(20.6)).Fate);
        screen.SegmentBegan(S(12.5), Turn);
        screen.Interrupted(S(12.5));
        Assert.Equal(TranscriptFate.Keep, screen.Final("Okay.", S(12.5), S(12.3), S(13)).Fate);
    }

    [Fact]
    public void A_transcript_of_what_playback_was_playing_is_dropped_as_echo()
    {
        var screen = Screen();
        screen.SegmentBegan(S(12.5), Turn);
        var verdict = screen.Final("Bring a hat and some water.", S(12.5), S(12.3), S(13.9));
        Assert.Equal(TranscriptFate.Echo, verdict.Fate);
        // The same words long after they were played are the user's.
        screen.SegmentBegan(S(40), TurnId.None);
        Assert.Equal(TranscriptFate.Keep, screen.Final("Bring a hat and some water.", S(40), S(39.8), S(41)).Fate);
    }
}

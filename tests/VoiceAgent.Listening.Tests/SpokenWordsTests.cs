using VoiceAgent.Listening.Words;

namespace VoiceAgent.Listening.Tests;

public class SpokenWordsTests
{
    [Fact]
    public void Words_lose_case_punctuation_and_a_recognizers_notes_on_sounds()
    {
        Assert.Equal(["don't", "stop", "it's", "fine"], SpokenWords.Of("Don't STOP! (coughs) It’s fine... [BLANK_AUDIO]"));
        Assert.Empty(SpokenWords.Of(" [Music] (laughs) *sigh* - "));
    }

    [Theory]
    [InlineData("uh-huh")]
    [InlineData("Uh huh.")]
    [InlineData("uhhuh")]
    [InlineData("Mm-hmm.")]
    [InlineData("mmhmm")]
    [InlineData("Mhm")]
    [InlineData("Yeah, yeah.")]
    [InlineData("yeahhh")]
    [InlineData("Okay. Right.")]
    [InlineData("OK sure")]
    [InlineData("I see.")]
    public void Backchannels_match_however_they_are_spelled(string heard)
    {
        Assert.True(BackchannelPhrases.Default.AreAll(SpokenWords.Of(heard)));
    }

    [Theory]
    [InlineData("stop", "stop")]
    [InlineData("Yeah, but wait.", "but wait")]
    [InlineData("okay what about tomorrow", "what about tomorrow")]
    [InlineData("no", "no")]
    [InlineData("rightly so", "rightly so")]
    public void Other_words_are_the_users_own(string heard, string own)
    {
        var words = SpokenWords.Of(heard);
        Assert.False(BackchannelPhrases.Default.AreAll(words));
        Assert.Equal(SpokenWords.Of(own), BackchannelPhrases.Default.Remove(words));
    }

    [Fact]
    public void Nothing_is_no_backchannel_and_the_list_is_configurable()
    {
        Assert.False(BackchannelPhrases.Default.AreAll([]));
        var custom = new BackchannelPhrases(["genau", "ja"]);
        Assert.True(custom.AreAll(SpokenWords.Of("Ja, genau.")));
        Assert.False(custom.AreAll(SpokenWords.Of("yeah")));
        Assert.Equal(new BackchannelPhrases(["genau", "ja"]), custom);
        Assert.Equal("--", new BackchannelPhrases(["ja", "--"]).Empty);
    }

    private const string Played = "Hello there. I am your voice assistant and I can talk for quite a while about many different things, such as the weather.";

    [Theory]
    [InlineData("I can talk for quite a while")]
    [InlineData("about many different things")]
    // Misrecognized: a word misheard, one dropped, one added.
    [InlineData("I can walk for quite a while about")]
    [InlineData("can talk quite a while about many")]
    [InlineData("your voice assistant and uh I can")]
    [InlineData("such as the whether")]
    // Short, word for word.
    [InlineData("Hello there.")]
    [InlineData("the weather")]
    public void The_agents_own_words_are_echo_however_recognized(string heard)
    {
        Assert.True(EchoMatcher.IsEcho(heard, Played));
    }

    [Theory]
    [InlineData("stop please")]
    [InlineData("what time is it")]
    [InlineData("can you tell me about the news instead")]
    // Short: one word off is a different phrase.
    [InlineData("hi there")]
    [InlineData("the news")]
    [InlineData("wait")]
    // One word alone is never echo, even one that was played.
    [InlineData("weather")]
    [InlineData("and")]
    // Echo mixed with the user's own words.
    [InlineData("quite a while stop stop stop")]
    public void Other_words_are_not_echo(string heard)
    {
        Assert.False(EchoMatcher.IsEcho(heard, Played));
    }

    [Fact]
    public void Nothing_matches_when_nothing_was_played_or_heard()
    {
        Assert.False(EchoMatcher.IsEcho("hello there", ""));
        Assert.False(EchoMatcher.IsEcho("", Played));
    }
}

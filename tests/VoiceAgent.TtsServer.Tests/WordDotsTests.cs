using VoiceAgent.TtsServer.Text;

namespace VoiceAgent.TtsServer.Tests;

public sealed class WordDotsTests
{
    [Theory]
    [InlineData("Ask Dr", true)]
    [InlineData("for e.g", true)]
    [InlineData("by J", true)]
    [InlineData("so do I", false)]
    [InlineData("It was late", false)]
    [InlineData("", false)]
    public void Abbreviations_and_initials_do_not_end_a_sentence(string beforeDot, bool abbreviation) =>
        Assert.Equal(abbreviation, WordDots.EndsAbbreviation(beforeDot));

    [Theory]
    [InlineData("see https://developers.telnyx", true)]
    [InlineData("mail me@example", true)]
    [InlineData("it ended", false)]
    public void A_dot_inside_an_address_waits_for_more(string beforeDot, bool inside) =>
        Assert.Equal(inside, WordDots.InsideAddress(beforeDot));
}

using VoiceAgent.Listening.Turns;

namespace VoiceAgent.Listening.Tests;

/// <summary>The end of a transcript read for whether the user has finished: PocketSphinx's text
/// (lowercase, no punctuation) and Whisper's (capitals, punctuation, a full stop after almost
/// anything) alike.</summary>
public class TrailingWordsTests
{
    public static TheoryData<string, TurnEndCue> Transcripts => new()
    {
        // PocketSphinx: lowercase words, no punctuation.
        { "i need to buy milk and", TurnEndCue.TrailingConjunction },
        { "we could go to the park but", TurnEndCue.TrailingConjunction },
        { "i stayed home because", TurnEndCue.TrailingConjunction },
        { "tea or", TurnEndCue.TrailingConjunction },
        { "so the thing is um", TurnEndCue.Filler },
        { "it was uh", TurnEndCue.Filler },
        { "it was kind of like", TurnEndCue.Filler },
        { "i was there you know", TurnEndCue.Filler },
        { "i want to go to the", TurnEndCue.UnfinishedClause },
        { "can you tell me about", TurnEndCue.UnfinishedClause },
        { "that is my", TurnEndCue.UnfinishedClause },
        { "yesterday i", TurnEndCue.UnfinishedClause },
        { "the thing is", TurnEndCue.UnfinishedClause },
        { "what time is it", TurnEndCue.Question },
        { "so what should i do", TurnEndCue.Question },
        { "can you turn on the lights", TurnEndCue.Question },
        { "turn on the lights", TurnEndCue.None },
        { "and so my fellow americans", TurnEndCue.None },
        // Whisper: capitals and punctuation.
        { "What time is it?", TurnEndCue.Question },
        { "Is this the one you were thinking of?", TurnEndCue.Question },
        { "Turn on the lights.", TurnEndCue.CompleteSentence },
        { "Yes, I can.", TurnEndCue.CompleteSentence },
        { "That's great!", TurnEndCue.CompleteSentence },
        { "I want to go to the.", TurnEndCue.UnfinishedClause },
        { "And so, my fellow Americans...", TurnEndCue.UnfinishedClause },
        { "I was thinking,", TurnEndCue.UnfinishedClause },
        { "I'd like a coffee and.", TurnEndCue.TrailingConjunction },
        { "It's, um,", TurnEndCue.UnfinishedClause },
        { "It's, um.", TurnEndCue.Filler },
        { "I'm not sure, you know.", TurnEndCue.Filler },
        // Nothing to read.
        { "", TurnEndCue.None },
        { " . ", TurnEndCue.None },
    };

    [Theory]
    [MemberData(nameof(Transcripts))]
    public void The_end_of_the_words_gives_its_cue(string text, TurnEndCue cue) => Assert.Equal(cue, TrailingWords.Read(text));

    [Theory]
    [InlineData("What time is it?", 500, "question")]
    [InlineData("Turn on the lights.", 500, "complete sentence")]
    [InlineData("i need milk and", 2000, "trailing conjunction")]
    [InlineData("so um", 2000, "filler")]
    [InlineData("i want to go to the", 2000, "unfinished clause")]
    [InlineData("turn on the lights", 800, "no cue in the words")]
    public void Finished_words_wait_the_shortest_silence_trailing_ones_the_longest(string text, int silenceMs, string reason)
    {
        var detector = new WordTurnEndDetector(new TurnSettings());
        var decision = detector.Decide(new TurnSoFar(ReadOnlyMemory<short>.Empty, text));
        Assert.Equal(new TurnEndDecision(TimeSpan.FromMilliseconds(silenceMs), reason), decision);
    }
}

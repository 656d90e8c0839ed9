namespace VoiceAgent.Listening.Turns;

/// <summary>What the end of the user's words suggests about whether they have finished.</summary>
public enum TurnEndCue
{
    /// <summary>Nothing either way (a recognizer without punctuation, an ordinary last word).</summary>
    None,

    /// <summary>A question mark, or an unpunctuated clause that opens like a question.</summary>
    Question,

    /// <summary>A sentence closed by a full stop or an exclamation mark.</summary>
    CompleteSentence,

    /// <summary>Ends in "and", "but", "because", …: more is coming.</summary>
    TrailingConjunction,

    /// <summary>Ends in "um", "uh", "you know", …: the user is thinking.</summary>
    Filler,

    /// <summary>Ends where a clause cannot (an article, a preposition, a possessive, an
    /// auxiliary, "I"), or trails off in a comma, a dash or an ellipsis.</summary>
    UnfinishedClause,
}

namespace VoiceAgent.Listening.Interruptions;

/// <summary>What the words heard over the agent say about a barge-in.</summary>
public enum WordsKind
{
    /// <summary>No words, or too few to count: they decide nothing (more speech may tell).</summary>
    Nothing,

    /// <summary>Words of the user's own: the barge-in is confirmed.</summary>
    Words,

    /// <summary>Only "uh-huh", "yeah"…: the user listens; the agent goes on.</summary>
    Backchannel,

    /// <summary>The agent's own words, heard back: the agent goes on.</summary>
    Echo,
}

/// <summary>A transcript of speech over the agent and what it means. <paramref name="Playing"/>:
/// the played text an echo matched.</summary>
public readonly record struct HeardWords(WordsKind Kind, string Text, string Playing = "");

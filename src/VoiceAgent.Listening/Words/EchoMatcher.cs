namespace VoiceAgent.Listening.Words;

/// <summary>
/// Whether a transcript is the agent's own voice: the words it heard, found in order in the text
/// playback was playing, tolerant of what a recognizer gets wrong. The transcript is compared
/// with the stretch of the played text it is closest to (word-level edit distance with the
/// stretch's start and end free); a word a recognizer may have misheard
/// (<see cref="SpokenWords.Alike"/>) costs nothing.
/// <para>
/// It is echo when at least <see cref="MatchedShare"/> of its words match. Short transcripts must
/// match every word: of one or two words, one common word ("the", "to") is in any sentence. A
/// single word is never echo on its own (<see cref="InPlayed"/> says when it may be): seen with
/// PocketSphinx, the user's "And so my fellow Americans" was "and" after half a second, and
/// "and" is in any reply.
/// A transcript mixing echo with the user's words ("quite a while stop stop") has too many words
/// the agent did not say and is kept.
/// </para>
/// </summary>
public static class EchoMatcher
{
    /// <summary>Share of the transcript's words that must match played words.</summary>
    public const double MatchedShare = 2.0 / 3;

    /// <summary>Transcripts of at most this many words match only word for word.</summary>
    public const int ShortTranscript = 2;

    public static bool IsEcho(string transcript, string played) => IsEcho(SpokenWords.Of(transcript), SpokenWords.Of(played));

    public static bool IsEcho(IReadOnlyList<string> heard, IReadOnlyList<string> played)
    {
        if (heard.Count < 2 || played.Count == 0) return false;
        var misses = Misses(heard, played);
        return heard.Count <= ShortTranscript ? misses == 0 : heard.Count - misses >= MatchedShare * heard.Count;
    }

    /// <summary>A single word heard that playback was playing: it may be echo or the user's
    /// first word, and decides nothing yet.</summary>
    public static bool InPlayed(IReadOnlyList<string> heard, IReadOnlyList<string> played) =>
        heard.Count == 1 && played.Any(word => SpokenWords.Alike(heard[0], word));

    /// <summary>Fewest word edits that turn <paramref name="heard"/> into some stretch of
    /// <paramref name="played"/>.</summary>
    public static int Misses(IReadOnlyList<string> heard, IReadOnlyList<string> played)
    {
        // previous[j]: edits for the heard words so far, ending right after played word j.
        // Row 0 is all zeros: the stretch may start anywhere.
        var previous = new int[played.Count + 1];
        var current = new int[played.Count + 1];
        for (var i = 1; i <= heard.Count; i++)
        {
            current[0] = i;
            for (var j = 1; j <= played.Count; j++)
            {
                var substitute = previous[j - 1] + (SpokenWords.Alike(heard[i - 1], played[j - 1]) ? 0 : 1);
                current[j] = Math.Min(substitute, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }
            (previous, current) = (current, previous);
        }
        // ...and end anywhere.
        return previous.Min();
    }
}

namespace VoiceAgent.TtsServer.Text;

/// <summary>
/// Cuts a short first piece off the sentence that opens a turn, so that while the synthesis
/// engines are busy with other sessions the listener's first audio waits for a few words of
/// synthesis, not a whole sentence (the rest follows while the first piece plays). The cut is at
/// the first clause mark (, ; : – —) among the first <see cref="MaxHeadWords"/> words, else after
/// <see cref="HeadWords"/> words, moved past a word that leans on the next ("the", "of", "and",
/// …), and only where at least <see cref="MinRestWords"/> words are left: a sentence too short to
/// leave a real rest is not cut. Text without spaces (CJK) is never cut.
/// <para>The trade-off: the sentence is spoken as two utterances, so its intonation is planned
/// over each part; the first ends with a clause's rising tone and no pause (see
/// <c>SynthesisRequest.SentenceGoesOn</c>), which a listener hears as a slightly flatter
/// sentence, not as a break.</para>
/// </summary>
public static class FirstPieceSplitter
{
    /// <summary>Words in the first piece when no clause mark comes sooner (about a second of speech).</summary>
    public const int HeadWords = 4;

    /// <summary>A clause mark ends the first piece only within this many words.</summary>
    public const int MaxHeadWords = 7;

    /// <summary>Fewest words the first piece has.</summary>
    public const int MinHeadWords = 2;

    /// <summary>Fewest words left for the rest; a shorter sentence stays whole.</summary>
    public const int MinRestWords = 3;

    private static readonly HashSet<string> LeaningWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "from", "with", "into", "and", "or",
        "but", "nor", "so", "if", "as", "than", "that", "my", "your", "his", "her", "its", "our", "their",
        "this", "these", "those", "is", "are", "was", "were", "be", "not", "no", "very",
    };

    /// <summary>The first piece and the rest, or null when <paramref name="sentence"/> stays whole.</summary>
    public static (string Head, string Tail)? Split(string sentence)
    {
        var words = WordEnds(sentence);
        if (words.Count < MinHeadWords + MinRestWords) return null;
        var lastHeadWord = ClauseEnd(sentence, words) is { } clause && LeavesRest(clause) ? clause : PlainEnd(sentence, words);
        if (!LeavesRest(lastHeadWord)) return null;
        var cut = words[lastHeadWord];
        return (sentence[..cut].TrimEnd(), sentence[cut..].TrimStart());

        bool LeavesRest(int lastWord) => words.Count - lastWord - 1 >= MinRestWords;
    }

    /// <summary>Index of the first word that ends in a clause mark (or is a dash) within reach, or null.</summary>
    private static int? ClauseEnd(string sentence, List<int> wordEnds)
    {
        for (var word = MinHeadWords - 1; word < Math.Min(MaxHeadWords, wordEnds.Count); word++)
        {
            var last = sentence[wordEnds[word] - 1];
            if (last is ',' or ';' or ':' or '–' or '—') return word;
        }
        return null;
    }

    /// <summary>Index of the last word of a plain first piece: <see cref="HeadWords"/> words, more
    /// while the last one leans on the next.</summary>
    private static int PlainEnd(string sentence, List<int> wordEnds)
    {
        var word = HeadWords - 1;
        while (word < MaxHeadWords - 1 && LeaningWords.Contains(WordAt(sentence, wordEnds, word))) word++;
        return word;
    }

    private static string WordAt(string sentence, List<int> wordEnds, int word)
    {
        var end = wordEnds[word];
        var start = end;
        while (start > 0 && !char.IsWhiteSpace(sentence[start - 1])) start--;
        return sentence[start..end].TrimEnd('"', '\'', ')', '”', '’');
    }

    /// <summary>Where each word ends (the index after its last character).</summary>
    private static List<int> WordEnds(string sentence)
    {
        var ends = new List<int>();
        for (var i = 0; i < sentence.Length; i++)
            if (!char.IsWhiteSpace(sentence[i]) && (i + 1 == sentence.Length || char.IsWhiteSpace(sentence[i + 1])))
                ends.Add(i + 1);
        return ends;
    }
}

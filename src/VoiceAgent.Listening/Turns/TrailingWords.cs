namespace VoiceAgent.Listening.Turns;

/// <summary>
/// Reads the end of a transcript for a <see cref="TurnEndCue"/>. Works on both kinds of text the
/// recognizers give: Whisper's (capitals, punctuation, sometimes a full stop after words that
/// plainly go on) and PocketSphinx's (lowercase words, no punctuation). So the last word is
/// judged before the final full stop: "I want to go to the." is unfinished however it is closed.
/// </summary>
public static class TrailingWords
{
    private static readonly HashSet<string> Conjunctions =
    [
        "and", "but", "so", "because", "cause", "'cause", "or", "nor", "yet", "then", "plus",
        "if", "unless", "although", "though", "while", "whereas", "than", "when",
    ];

    // Only words that rarely close a sentence: "well" and "actually" often do ("I'm doing well").
    private static readonly HashSet<string> Fillers = ["um", "umm", "uh", "uhh", "er", "erm", "ah", "hmm", "mm", "like"];

    private static readonly string[][] FillerPhrases = [["you", "know"], ["i", "mean"], ["sort", "of"], ["kind", "of"], ["let", "me", "see"], ["let's", "see"]];

    // Words a clause cannot end on. Particles that double as prepositions ("come in", "turn it
    // on", "it's over") and object pronouns ("I saw her") are left out: they end sentences too.
    private static readonly HashSet<string> Unfinished =
    [
        // articles and determiners
        "a", "an", "the", "this", "these", "those", "every", "each",
        // prepositions
        "to", "of", "for", "with", "from", "about", "into", "onto", "at", "between", "without", "during", "against", "towards", "toward", "per",
        // possessives
        "my", "your", "its", "our", "their",
        // a subject with no verb yet, or contracted with its verb
        "i", "we", "they", "he", "she",
        "i'm", "it's", "that's", "there's", "you're", "we're", "they're", "he's", "she's", "i've", "i'd", "i'll", "what's",
        "very",
    ];

    // An auxiliary ends many questions ("what can I do", "do you know where it is") and short
    // answers ("yes I can."), so it counts as unfinished only in a statement left unclosed.
    private static readonly HashSet<string> Auxiliaries =
    [
        "is", "are", "was", "were", "am", "be", "been", "being", "have", "has", "had", "do", "does", "did",
        "will", "would", "can", "could", "should", "must", "might", "may", "shall",
    ];

    private static readonly HashSet<string> QuestionOpeners =
    [
        "what", "what's", "where", "where's", "when", "why", "how", "how's", "who", "who's", "which", "whose",
        "is", "are", "was", "were", "do", "does", "did", "can", "could", "would", "will", "should", "shall", "may",
        "have", "has", "isn't", "aren't", "don't", "doesn't", "didn't", "can't", "won't",
    ];

    // Words a question may be preceded by without being any less a question ("so what time is it").
    private static readonly HashSet<string> LeadIns = ["so", "and", "but", "well", "okay", "ok", "um", "uh", "hey", "oh"];

    public static TurnEndCue Read(string text)
    {
        var trimmed = text.Trim();
        var words = Words(trimmed);
        if (words.Count == 0) return TurnEndCue.None;
        if (trimmed.EndsWith('?')) return TurnEndCue.Question;
        if (TrailsOff(trimmed)) return TurnEndCue.UnfinishedClause;
        var last = words[^1];
        if (FillerPhrases.Any(phrase => EndsWith(words, phrase))) return TurnEndCue.Filler;
        if (Conjunctions.Contains(last)) return TurnEndCue.TrailingConjunction;
        if (Fillers.Contains(last)) return TurnEndCue.Filler;
        if (Unfinished.Contains(last)) return TurnEndCue.UnfinishedClause;
        if (trimmed.EndsWith('.') || trimmed.EndsWith('!')) return TurnEndCue.CompleteSentence;
        // Unpunctuated (PocketSphinx): only the way the clause opens tells a question.
        var punctuated = HasPunctuation(trimmed);
        if (!punctuated && QuestionOpeners.Contains(words.SkipWhile(LeadIns.Contains).FirstOrDefault() ?? "")) return TurnEndCue.Question;
        if (Auxiliaries.Contains(last)) return TurnEndCue.UnfinishedClause;
        return TurnEndCue.None;
    }

    private static bool TrailsOff(string text) =>
        text.EndsWith("...") || text.EndsWith('…') || text.EndsWith(',') || text.EndsWith('-') || text.EndsWith('—') || text.EndsWith(';') || text.EndsWith(':');

    private static bool HasPunctuation(string text) => text.Any(c => c is '.' or ',' or '!' or '?' or ';' or ':');

    private static bool EndsWith(List<string> words, string[] phrase) =>
        words.Count >= phrase.Length && phrase.Select((w, i) => words[words.Count - phrase.Length + i] == w).All(same => same);

    /// <summary>Lowercase words with the punctuation around them removed (an apostrophe inside
    /// a word stays: "it's").</summary>
    private static List<string> Words(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.Trim('.', ',', '!', '?', ';', ':', '"', '“', '”', '(', ')', '…', '-', '—').ToLowerInvariant())
            .Where(w => w.Length > 0)
            .ToList();
}

namespace VoiceAgent.TtsServer.Text;

/// <summary>
/// Dots that belong to a word rather than ending a sentence: known abbreviations ("Dr.", "e.g."),
/// single-letter initials ("J. Smith") and dots inside an address ("developers.telnyx.com").
/// Each rule looks only at the text before the dot, from the sentence's start.
/// </summary>
internal static class WordDots
{
    private const int LongestAbbreviation = 6; // "approx"

    /// <summary>How far back an address is looked for.</summary>
    private const int LongestAddressLookback = 64;

    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "vs", "etc", "e.g", "i.e", "eg", "ie",
        "inc", "ltd", "co", "corp", "no", "fig", "approx", "dept", "est", "jan", "feb", "mar", "apr",
        "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "a.m", "p.m", "cf", "al",
        "gen", "gov", "rev", "vol", "ave", "blvd", "ph.d", "mss",
    };

    /// <summary>A dot after a known abbreviation or a single-letter initial.</summary>
    /// <param name="beforeDot">The sentence so far, up to the dot (excluded).</param>
    public static bool EndsAbbreviation(ReadOnlySpan<char> beforeDot)
    {
        var start = beforeDot.Length;
        while (start > 0 && (char.IsLetter(beforeDot[start - 1]) || beforeDot[start - 1] == '.'))
        {
            if (beforeDot.Length - start >= LongestAbbreviation) return false; // longer than any abbreviation
            start--;
        }
        var word = beforeDot[start..];
        if (word.Length == 0) return false;
        if (word.Length == 1 && char.IsUpper(word[0]) && word[0] is not ('I' or 'A')) return true; // "I." and "A." end sentences
        return Abbreviations.Contains(new string(word));
    }

    /// <summary>A dot in a word that looks like an address (a URL, a path, an e-mail, a domain with
    /// an earlier dot): "https://developers.telnyx." is waiting for "com", not ending a sentence.</summary>
    /// <param name="beforeDot">The sentence so far, up to the dot (excluded).</param>
    public static bool InsideAddress(ReadOnlySpan<char> beforeDot)
    {
        var from = Math.Max(0, beforeDot.Length - LongestAddressLookback);
        for (var i = beforeDot.Length - 1; i >= from && !char.IsWhiteSpace(beforeDot[i]); i--)
            if (beforeDot[i] is '/' or '@' or ':' or '.' or '<') return true;
        return false;
    }
}

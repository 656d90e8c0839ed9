using System.Text;
using System.Text.RegularExpressions;

namespace VoiceAgent.Listening.Words;

/// <summary>
/// Text reduced to the words that were said, for comparing what two engines made of speech: a
/// recognizer and the text the agent spoke write the same words with different case,
/// punctuation and hyphens ("Uh-huh." / "uh huh"), and recognizers annotate sounds that are not
/// words ("[BLANK_AUDIO]", "(coughs)").
/// </summary>
public static partial class SpokenWords
{
    [GeneratedRegex(@"\[[^\]]*\]|\([^)]*\)|\*[^*]*\*")]
    private static partial Regex Annotations();

    /// <summary>Lower-case words of letters, digits and inner apostrophes, in order.</summary>
    public static string[] Of(string text)
    {
        var plain = Annotations().Replace(text, " ");
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var c in plain)
        {
            if (char.IsLetterOrDigit(c) || (c is '\'' or '’' && word.Length > 0))
            {
                word.Append(c == '’' ? '\'' : char.ToLowerInvariant(c));
                continue;
            }
            Flush(word, words);
        }
        Flush(word, words);
        return [.. words];
    }

    private static void Flush(StringBuilder word, List<string> words)
    {
        var text = word.ToString().TrimEnd('\'');
        if (text.Length > 0) words.Add(text);
        word.Clear();
    }

    /// <summary>Edit distance between two words (insertions, deletions, substitutions of letters).</summary>
    public static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    /// <summary>Whether a recognizer may have heard <paramref name="spoken"/> as
    /// <paramref name="heard"/>: the same word, or for words of four letters or more, one a third
    /// of whose letters differ at most ("whether" for "weather"). Short words must be exact:
    /// "a" and "the", one letter apart, are different words.</summary>
    public static bool Alike(string heard, string spoken)
    {
        if (heard == spoken) return true;
        var longer = Math.Max(heard.Length, spoken.Length);
        return Math.Min(heard.Length, spoken.Length) >= 4 && Distance(heard, spoken) <= longer / 3;
    }
}

using System.Text;

namespace VoiceAgent.Listening.Words;

/// <summary>
/// The listener's "uh-huh", "yeah", "okay": words that say "go on" rather than "stop". A phrase
/// matches however a recognizer spelled it: case, punctuation, hyphens and spaces do not count,
/// nor does a letter held longer ("mm-hmm", "mmhmm", "Mm hmm." and "mhm" are one phrase;
/// "yeahhh" is "yeah").
/// </summary>
public sealed class BackchannelPhrases : IEquatable<BackchannelPhrases>
{
    /// <summary>Longest phrase, in words, looked for (a phrase of more words is kept whole but
    /// matched as its words run together).</summary>
    private const int LongestPhrase = 3;

    public static readonly BackchannelPhrases Default = new(
    [
        "uh-huh", "mm-hmm", "mhm", "hmm", "mm", "yeah", "yes", "yep", "yup", "right", "okay", "ok", "sure", "i see", "got it", "alright",
    ]);

    private readonly HashSet<string> _keys;

    public BackchannelPhrases(IEnumerable<string> phrases)
    {
        Phrases = [.. phrases];
        _keys = [.. Phrases.Select(p => Key(SpokenWords.Of(p)))];
        _keys.Remove("");
    }

    /// <summary>The phrases as configured.</summary>
    public IReadOnlyList<string> Phrases { get; }

    /// <summary>A configured phrase with no word in it ("", "--"): it could never match.</summary>
    public string? Empty => Phrases.FirstOrDefault(p => SpokenWords.Of(p).Length == 0);

    /// <summary>The words of <paramref name="words"/> that are not part of a backchannel phrase
    /// (longest phrase first at each position).</summary>
    public IReadOnlyList<string> Remove(IReadOnlyList<string> words)
    {
        var rest = new List<string>();
        for (var i = 0; i < words.Count;)
        {
            var taken = 0;
            for (var length = Math.Min(LongestPhrase, words.Count - i); length >= 1 && taken == 0; length--)
                if (_keys.Contains(Key(words.Skip(i).Take(length)))) taken = length;
            if (taken == 0) rest.Add(words[i++]);
            else i += taken;
        }
        return rest;
    }

    /// <summary>Whether the words are backchannels and nothing else (at least one word).</summary>
    public bool AreAll(IReadOnlyList<string> words) => words.Count > 0 && Remove(words).Count == 0;

    /// <summary>The words run together with every run of one letter cut to one letter.</summary>
    private static string Key(IEnumerable<string> words)
    {
        var key = new StringBuilder();
        foreach (var c in string.Concat(words).Where(char.IsLetterOrDigit))
            if (key.Length == 0 || key[^1] != c) key.Append(c);
        return key.ToString();
    }

    public bool Equals(BackchannelPhrases? other) => other is not null && Phrases.SequenceEqual(other.Phrases);

    public override bool Equals(object? obj) => Equals(obj as BackchannelPhrases);

    public override int GetHashCode() => Phrases.Aggregate(17, (hash, p) => hash * 31 + p.GetHashCode(StringComparison.Ordinal));

    public override string ToString() => string.Join(", ", Phrases);
}

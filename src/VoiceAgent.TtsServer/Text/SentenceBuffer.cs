using System.Text;

namespace VoiceAgent.TtsServer.Text;

/// <summary>
/// Collects streamed text (LLM tokens included) and hands out complete sentences. A boundary is
/// a terminator (. ! ? … 。 ！ ？), optionally followed by closing quotes, brackets or markdown
/// emphasis, then whitespace. A terminator at the very end of the buffer also counts, except
/// after a digit (so "3." then "5" is not split) or on a known abbreviation. Never a boundary:
/// "Dr. Smith", "e.g. this", "3.5", "example.com". Markdown structure also ends a segment: a
/// heading or list-item line, and a blank line.
/// </summary>
public sealed class SentenceBuffer
{
    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "vs", "etc", "e.g", "i.e", "eg", "ie",
        "inc", "ltd", "co", "corp", "no", "fig", "approx", "dept", "est", "jan", "feb", "mar", "apr",
        "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "a.m", "p.m", "cf", "al",
        "gen", "gov", "rev", "vol", "ave", "blvd", "ph.d", "mss",
    };

    private readonly StringBuilder _text = new();

    // Every boundary decision before this index is final: it is the last whitespace seen by the
    // previous scan, and a decision only depends on text up to the next whitespace. Saves
    // rescanning the whole buffer for every streamed token.
    private int _scanFrom;

    public int Length => _text.Length;

    /// <summary>True when nothing but whitespace is buffered.</summary>
    public bool IsBlank
    {
        get
        {
            for (var i = 0; i < _text.Length; i++)
                if (!char.IsWhiteSpace(_text[i])) return false;
            return true;
        }
    }

    public void Append(string text) => _text.Append(text);

    public void Clear()
    {
        _text.Clear();
        _scanFrom = 0;
    }

    /// <summary>Removes and returns every complete sentence, in order; the unfinished rest stays.</summary>
    public List<string> TakeSentences()
    {
        var sentences = new List<string>();
        var text = _text.ToString();
        var start = 0;
        for (var i = _scanFrom; i < text.Length; i++)
        {
            var end = BoundaryEndingAt(text, i);
            if (end < 0) continue;
            var sentence = Tidy(text[start..end]);
            if (sentence.Length > 0) sentences.Add(sentence);
            start = end;
            i = end - 1;
        }
        _text.Remove(0, start);
        var rest = text.AsSpan(start);
        var lastSpace = rest.LastIndexOfAny(" \t\r\n\u00A0\u3000");
        _scanFrom = Math.Max(0, lastSpace);
        return sentences;
    }

    /// <summary>Removes and returns everything buffered (for flush and end of input), already
    /// split into sentences where it has boundaries.</summary>
    public List<string> TakeAll()
    {
        var sentences = TakeSentences();
        var rest = _text.ToString();
        Clear();
        if (Tidy(rest) is { Length: > 0 } last) sentences.Add(last);
        return sentences;
    }

    /// <summary>If a segment ends with the character at <paramref name="i"/>, the index just past
    /// the segment (including its closing marks); otherwise -1.</summary>
    private static int BoundaryEndingAt(string text, int i)
    {
        var c = text[i];
        if (c == '\n') return StructuralBreak(text, i) ? i + 1 : -1;
        if (!IsTerminator(c)) return -1;

        // Closing marks belong to the sentence: ." ?) **.** and the like.
        var end = i + 1;
        while (end < text.Length && IsCloser(text[end])) end++;
        // Runs of terminators ("?!", "...") end together.
        while (end < text.Length && IsTerminator(text[end])) { end++; while (end < text.Length && IsCloser(text[end])) end++; }

        if (c is '。' or '！' or '？') return end; // CJK punctuation needs no space after it
        if (end < text.Length)
        {
            if (!char.IsWhiteSpace(text[end])) return -1; // "3.5", "example.com", "Hello.World"
            if (c == '.' && IsAbbreviation(text, i)) return -1;
            return end;
        }
        // At the very end of the buffer: more text may still come.
        if (c == '.' && i > 0 && char.IsDigit(text[i - 1])) return -1; // "3." may become "3.5"
        if (c == '.' && IsAbbreviation(text, i)) return -1;
        // "e." may become "e.g.", "a." may become "a.m.": wait for what follows a lone letter.
        if (c == '.' && i > 0 && char.IsLetter(text[i - 1]) && (i == 1 || !char.IsLetter(text[i - 2]))) return -1;
        return end;
    }

    /// <summary>Trims a segment; drops marks left over from a sentence that was already handed
    /// out (a streamed `"` or ".." after "Two."), and segments with nothing to say.</summary>
    private static string Tidy(string segment)
    {
        var text = segment.Trim();
        var lead = 0;
        while (lead < text.Length && (IsCloser(text[lead]) || IsTerminator(text[lead]))) lead++;
        if (lead > 0 && (lead == text.Length || char.IsWhiteSpace(text[lead]))) text = text[lead..].TrimStart();
        foreach (var c in text)
            if (char.IsLetterOrDigit(c)) return text;
        return "";
    }

    private static bool IsTerminator(char c) => c is '.' or '!' or '?' or '…' or '。' or '！' or '？';

    private static bool IsCloser(char c) => c is '"' or '\'' or ')' or ']' or '}' or '”' or '’' or '»' or '*' or '_' or '`' or '~';

    /// <summary>A dot after a known abbreviation or a single-letter initial ("J. Smith").</summary>
    private static bool IsAbbreviation(string text, int dot)
    {
        var start = dot;
        while (start > 0 && (char.IsLetter(text[start - 1]) || text[start - 1] == '.')) start--;
        var word = text[start..dot];
        if (word.Length == 0) return false;
        if (word.Length == 1 && char.IsUpper(word[0]) && word[0] is not ('I' or 'A')) return true; // "I." and "A." end sentences
        return Abbreviations.Contains(word);
    }

    /// <summary>A newline ends a segment after a heading or list-item line, or as a blank line.</summary>
    private static bool StructuralBreak(string text, int newline)
    {
        var lineStart = text.LastIndexOf('\n', Math.Max(0, newline - 1));
        lineStart = newline == 0 ? 0 : lineStart + 1;
        if (newline > 0 && text[newline - 1] == '\n') return false; // the blank line was already a break
        var line = text[lineStart..newline].Trim();
        if (line.Length == 0) return false;
        if (line.StartsWith('#') || line.StartsWith("- ") || line.StartsWith("* ") || line.StartsWith("+ ")) return true;
        var digits = 0;
        while (digits < line.Length && char.IsDigit(line[digits])) digits++;
        if (digits > 0 && digits + 1 < line.Length && line[digits] is '.' or ')' && line[digits + 1] == ' ') return true;
        // A paragraph ends at a blank line: this newline followed by another one.
        return newline + 1 < text.Length && text[newline + 1] == '\n';
    }
}

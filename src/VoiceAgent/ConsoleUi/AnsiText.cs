using System.Text;
using Spectre.Console;

namespace VoiceAgent.ConsoleUi;

/// <summary>
/// Measures and breaks text that carries ANSI escape sequences (what Spectre.Console writes): the
/// sequences take no room on screen, wide characters take two cells, and a style active where the
/// text is broken is closed at the end of the first part and reopened at the start of the second.
/// </summary>
public static class AnsiText
{
    private const char Escape = '\u001b';
    private const string Reset = "\u001b[0m";

    /// <summary>Terminal cells the text occupies.</summary>
    public static int Width(string text)
    {
        var width = 0;
        foreach (var (token, isEscape) in Tokens(text))
            if (!isEscape) width += Cells(token);
        return width;
    }

    /// <summary>Breaks <paramref name="text"/> so that the first part fits in
    /// <paramref name="cells"/>: after the last space that fits (the space is dropped), or inside
    /// a word longer than the whole row. Returns null when it already fits.</summary>
    public static (string Head, string Tail)? Break(string text, int cells)
    {
        cells = Math.Max(1, cells);
        var width = 0;
        var style = new List<string>();
        var lastSpace = -1;
        List<string>? styleAtSpace = null;
        foreach (var (token, isEscape, index) in TokensWithIndex(text))
        {
            if (isEscape)
            {
                Track(style, token);
                continue;
            }
            if (token == " ")
            {
                // A space may hang past the edge: the break goes there and it is dropped.
                lastSpace = index;
                styleAtSpace = [.. style];
                width++;
                continue;
            }
            var w = Cells(token);
            if (width + w > cells)
            {
                return lastSpace > 0
                    ? Split(text, lastSpace, lastSpace + 1, styleAtSpace!)
                    : Split(text, index, index, style);
            }
            width += w;
        }
        return null;
    }

    /// <summary>At most <paramref name="cells"/> cells of plain text, ending in "…" when cut.</summary>
    public static string Truncate(string plain, int cells)
    {
        if (cells <= 0) return "";
        if (plain.GetCellWidth() <= cells) return plain;
        var text = new StringBuilder();
        var width = 0;
        foreach (var rune in plain.EnumerateRunes())
        {
            var w = Cells(rune.ToString());
            if (width + w > cells - 1) break;
            text.Append(rune.ToString());
            width += w;
        }
        return text.Append('…').ToString();
    }

    private static (string, string) Split(string text, int headEnd, int tailStart, List<string> style)
    {
        var open = string.Concat(style);
        var head = text[..headEnd] + (style.Count > 0 ? Reset : "");
        return (head, open + text[tailStart..]);
    }

    /// <summary>SGR sequences in force: a reset clears them, anything else adds to them.</summary>
    private static void Track(List<string> style, string sequence)
    {
        if (!sequence.EndsWith('m') || sequence.Length < 3 || sequence[1] != '[') return;
        var parameters = sequence[2..^1];
        if (parameters is "" or "0") style.Clear();
        else style.Add(sequence);
    }

    private static int Cells(string token) => Math.Max(0, token.GetCellWidth());

    private static IEnumerable<(string Token, bool IsEscape)> Tokens(string text) =>
        TokensWithIndex(text).Select(t => (t.Token, t.IsEscape));

    /// <summary>Escape sequences (CSI, OSC, two-character) and single characters (a surrogate
    /// pair is one), each with where it starts.</summary>
    private static IEnumerable<(string Token, bool IsEscape, int Index)> TokensWithIndex(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            if (text[i] == Escape && i + 1 < text.Length)
            {
                if (text[i + 1] == '[')
                {
                    i += 2;
                    while (i < text.Length && text[i] is < '@' or > '~') i++;
                    i = Math.Min(i + 1, text.Length);
                }
                else if (text[i + 1] == ']')
                {
                    i += 2;
                    while (i < text.Length && text[i] != '\a' && !(text[i] == Escape && i + 1 < text.Length && text[i + 1] == '\\')) i++;
                    i = Math.Min(i + (i < text.Length && text[i] == Escape ? 2 : 1), text.Length);
                }
                else
                {
                    i += 2;
                }
                yield return (text[start..i], true, start);
                continue;
            }
            i += char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? 2 : 1;
            yield return (text[start..i], false, start);
        }
    }
}

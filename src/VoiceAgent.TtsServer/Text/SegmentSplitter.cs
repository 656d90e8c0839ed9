namespace VoiceAgent.TtsServer.Text;

/// <summary>
/// Cuts a sentence that is too long to synthesize as one piece into pieces of at most a given
/// length, so that no single piece holds a session's audio (or the one synthesis thread) for
/// long: at a clause mark (, ; : – —) followed by a space where possible, else at a space, else
/// anywhere (never inside a surrogate pair). Cuts outside [link text] and (urls) are preferred,
/// so markdown links stay whole when they can.
/// </summary>
public static class SegmentSplitter
{
    public static IEnumerable<string> Split(string sentence, int maxChars)
    {
        if (maxChars < 2) throw new ArgumentOutOfRangeException(nameof(maxChars), "A piece needs at least two characters.");
        var rest = sentence.AsMemory().Trim();
        while (rest.Length > maxChars)
        {
            var cut = CutPoint(rest.Span, maxChars);
            var piece = rest[..cut].Trim();
            if (piece.Length > 0) yield return piece.ToString();
            rest = rest[cut..].TrimStart();
        }
        if (rest.Length > 0) yield return rest.ToString();
    }

    /// <summary>Where to end the first piece of <paramref name="text"/> (longer than <paramref name="maxChars"/>).</summary>
    private static int CutPoint(ReadOnlySpan<char> text, int maxChars)
    {
        int clause = -1, spaceOutside = -1, space = -1;
        var depth = 0;
        var earliest = maxChars / 2; // a clause or a link that ends this early would leave a tiny piece
        for (var i = 0; i < maxChars; i++)
        {
            var c = text[i];
            if (c is '[' or '(') depth++;
            else if (c is ']' or ')') depth = Math.Max(0, depth - 1);
            if (!char.IsWhiteSpace(c) || i == 0) continue;
            space = i;
            if (depth > 0) continue;
            spaceOutside = i;
            if (i >= earliest && text[i - 1] is ',' or ';' or ':' or '–' or '—') clause = i;
        }
        if (clause > 0) return clause;
        if (spaceOutside >= earliest) return spaceOutside;
        if (space > 0) return space;
        return char.IsHighSurrogate(text[maxChars - 1]) ? maxChars - 1 : maxChars;
    }
}

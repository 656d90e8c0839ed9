using System.Text;

namespace VoiceAgent.Speech.Telnyx;

/// <summary>
/// The reply text sent on a turn's socket that the server has not yet acknowledged with a
/// text-bearing frame. After a dropped socket the pending text is sent again, so no text is lost.
/// Segments are matched on letters and digits only, because the server strips markdown and
/// whitespace from the text it echoes; acknowledging hands back the original text (with its
/// spacing and punctuation), so concatenated markers reproduce the reply exactly.
/// </summary>
internal sealed class TextLedger
{
    private readonly StringBuilder _pending = new();

    public string Pending => _pending.ToString();

    public bool IsEmpty => _pending.Length == 0;

    public void Append(string text) => _pending.Append(text);

    /// <summary>Removes the pending text that <paramref name="segment"/> (as echoed by the server)
    /// covers and returns it; returns null when the segment cannot be placed, in which case
    /// nothing is removed (resending too much beats losing words).</summary>
    public string? Acknowledge(string segment)
    {
        var key = Fold(segment);
        if (key.Length == 0) return null;

        var pending = _pending.ToString();
        var (folded, positions) = FoldWithPositions(pending);
        var at = folded.IndexOf(key, StringComparison.Ordinal);
        if (at < 0) return null;

        var end = positions[at + key.Length - 1] + 1;
        // Take the punctuation and spacing that follow the segment's last word, up to the next word.
        while (end < pending.Length && !char.IsLetterOrDigit(pending[end])) end++;
        var covered = pending[..end];
        _pending.Remove(0, end);
        return covered;
    }

    /// <summary>Everything still pending, which is now considered heard (the turn ended).</summary>
    public string? TakeRest()
    {
        if (_pending.Length == 0) return null;
        var rest = _pending.ToString();
        _pending.Clear();
        return rest;
    }

    private static string Fold(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
            if (char.IsLetterOrDigit(c)) builder.Append(char.ToLowerInvariant(c));
        return builder.ToString();
    }

    private static (string Folded, List<int> Positions) FoldWithPositions(string text)
    {
        var builder = new StringBuilder(text.Length);
        var positions = new List<int>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsLetterOrDigit(text[i])) continue;
            builder.Append(char.ToLowerInvariant(text[i]));
            positions.Add(i);
        }
        return (builder.ToString(), positions);
    }
}

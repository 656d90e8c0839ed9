namespace VoiceAgent.Conversation;

/// <summary>
/// Removes <c>&lt;think&gt;…&lt;/think&gt;</c> blocks from streamed text. Servers that report
/// reasoning in <c>reasoning_content</c> never reach the text, but some models write it inline in
/// the answer; either way reasoning is never spoken. Tags may be split across pieces, so a
/// possible tag start is held back until the next piece decides.
/// </summary>
public sealed class ThinkTagFilter
{
    private const string Open = "<think>";
    private const string Close = "</think>";
    private string _held = "";
    private bool _inside;

    /// <summary>Feeds one piece; returns the text that may be spoken now.</summary>
    public string Push(string piece)
    {
        var text = _held + piece;
        _held = "";
        var spoken = new System.Text.StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var tag = _inside ? Close : Open;
            var found = text.IndexOf(tag, i, StringComparison.OrdinalIgnoreCase);
            if (found >= 0)
            {
                if (!_inside) spoken.Append(text, i, found - i);
                i = found + tag.Length;
                _inside = !_inside;
                continue;
            }
            // Hold back a tail that could be the start of a tag split across pieces.
            var keep = PartialTagLength(text, i, tag);
            if (!_inside) spoken.Append(text, i, text.Length - i - keep);
            _held = text[(text.Length - keep)..];
            break;
        }
        return spoken.ToString();
    }

    /// <summary>Whatever was held back at the end of the stream (a lone "&lt;" is just text).</summary>
    public string Flush()
    {
        var rest = _inside ? "" : _held;
        _held = "";
        return rest;
    }

    private static int PartialTagLength(string text, int from, string tag)
    {
        for (var length = Math.Min(tag.Length - 1, text.Length - from); length > 0; length--)
        {
            if (string.Compare(text, text.Length - length, tag, 0, length, StringComparison.OrdinalIgnoreCase) == 0)
                return length;
        }
        return 0;
    }
}

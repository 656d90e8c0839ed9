namespace VoiceAgent.Conversation;

/// <summary>
/// Splits streamed text at <paramref name="open"/>…<paramref name="close"/> spans: the text
/// outside is returned as it arrives, the text inside is collected span by span. Tags may be split
/// across pieces, so a possible tag start is held back until the next piece decides.
/// </summary>
public class TagSpanFilter(string open, string close)
{
    private readonly System.Text.StringBuilder _span = new();
    private readonly List<string> _spans = [];
    private string _held = "";
    private bool _inside;

    /// <summary>Spans completed so far (their text without the tags); <see cref="TakeSpans"/> empties it.</summary>
    public IReadOnlyList<string> Spans => _spans;

    public List<string> TakeSpans()
    {
        var spans = _spans.ToList();
        _spans.Clear();
        return spans;
    }

    /// <summary>Feeds one piece; returns the text outside the spans that is certain now.</summary>
    public string Push(string piece)
    {
        var text = _held + piece;
        _held = "";
        var outside = new System.Text.StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var tag = _inside ? close : open;
            var found = text.IndexOf(tag, i, StringComparison.OrdinalIgnoreCase);
            if (found >= 0)
            {
                (_inside ? _span : outside).Append(text, i, found - i);
                if (_inside)
                {
                    _spans.Add(_span.ToString());
                    _span.Clear();
                }
                i = found + tag.Length;
                _inside = !_inside;
                continue;
            }
            // Hold back a tail that could be the start of a tag split across pieces.
            var keep = PartialTagLength(text, i, tag);
            (_inside ? _span : outside).Append(text, i, text.Length - i - keep);
            _held = text[(text.Length - keep)..];
            break;
        }
        return outside.ToString();
    }

    /// <summary>Whatever was held back at the end of the stream (a lone "&lt;" is just text); an
    /// unclosed span is dropped.</summary>
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

/// <summary>
/// Removes <c>&lt;think&gt;…&lt;/think&gt;</c> blocks from streamed text. Servers that report
/// reasoning in <c>reasoning_content</c> never reach the text, but some models write it inline in
/// the answer; either way reasoning is never spoken.
/// </summary>
public sealed class ThinkTagFilter() : TagSpanFilter("<think>", "</think>");

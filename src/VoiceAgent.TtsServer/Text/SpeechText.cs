using System.Text;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace VoiceAgent.TtsServer.Text;

/// <summary>
/// Turns a segment of LLM output into what should be spoken: markdown is parsed (Markdig) and
/// only its text is kept — heading marks, emphasis, code fences and backticks, link URLs, image
/// syntax, list bullets, quote marks and table pipes go; link text, code text and image alt text
/// stay; link reference definitions, thematic breaks and HTML blocks are not spoken. Emoji are
/// removed and whitespace collapsed. Text Markdig will not parse (nesting beyond its depth limit,
/// such as 200 quote marks) is cleaned by a plain character filter instead: cleaning never fails.
/// </summary>
public static class SpeechText
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseFootnotes()
        .Build();

    public static string Clean(string segment)
    {
        if (string.IsNullOrWhiteSpace(segment)) return "";
        string text;
        try
        {
            text = FromMarkdown(segment);
        }
        catch (Exception)
        {
            // Markdig gives up on some hostile shapes ("depth limit exceeded"); the words still count.
            text = WithoutMarkdownMarks(segment);
        }
        return CollapseWhitespace(RemoveEmoji(text));
    }

    private static string FromMarkdown(string segment)
    {
        var document = Markdown.Parse(segment, Pipeline);
        var text = new StringBuilder(segment.Length);
        foreach (var block in document) AppendBlock(block, text);
        return text.ToString();
    }

    /// <summary>The fallback cleaner: markdown's marker characters become spaces.</summary>
    internal static string WithoutMarkdownMarks(string segment)
    {
        var text = new StringBuilder(segment.Length);
        foreach (var c in segment)
            text.Append(c is '#' or '*' or '_' or '~' or '`' or '>' or '|' or '[' or ']' or '<' ? ' ' : c);
        return text.ToString();
    }

    private static void AppendBlock(Block block, StringBuilder text)
    {
        switch (block)
        {
            case LinkReferenceDefinition or ThematicBreakBlock or HtmlBlock:
                return; // "[1]: https://…", "---", raw HTML: nothing to say
            case LeafBlock { Inline: not null } leaf:
                AppendInlines(leaf.Inline, text);
                break;
            case LeafBlock leaf: // code blocks and others: their lines, as written (an empty block has none)
                for (var n = 0; n < leaf.Lines.Count; n++)
                    text.Append(leaf.Lines.Lines[n].Slice.ToString()).Append(' ');
                break;
            case ContainerBlock container:
                foreach (var child in container) AppendBlock(child, text);
                break;
        }
        text.Append(' ');
    }

    private static void AppendInlines(ContainerInline container, StringBuilder text)
    {
        foreach (var inline in container)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    text.Append(literal.Content.ToString());
                    break;
                case CodeInline code:
                    text.Append(code.Content);
                    break;
                case AutolinkInline autolink:
                    text.Append(autolink.Url);
                    break;
                case LineBreakInline:
                    text.Append(' ');
                    break;
                case HtmlEntityInline entity:
                    text.Append(entity.Transcoded.ToString());
                    break;
                case HtmlInline:
                    break; // tags are not spoken
                case ContainerInline nested: // emphasis, links (text only), images (alt text)
                    AppendInlines(nested, text);
                    break;
            }
        }
    }

    /// <summary>Removes pictographic emoji with their modifiers, joiners, variation selectors,
    /// keycaps, flags and tags. Keeps ©, ® and ™, which have spoken names.</summary>
    public static string RemoveEmoji(string text)
    {
        var result = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
            if (!IsEmojiPart(rune.Value)) result.Append(rune.ToString());
        return result.ToString();
    }

    private static bool IsEmojiPart(int c) =>
        c is >= 0x1F000 and <= 0x1FAFF        // pictographs, emoticons, transport, flags, symbols
            or >= 0x2600 and <= 0x27BF        // miscellaneous symbols and dingbats
            or >= 0x2B00 and <= 0x2BFF        // stars, arrows used as emoji
            or >= 0x2190 and <= 0x21FF        // arrows
            or >= 0x2300 and <= 0x23FF        // watch, hourglass, keyboard and friends
            or >= 0x25A0 and <= 0x25FF        // geometric shapes
            or >= 0xE0020 and <= 0xE007F      // tag characters (subdivision flags)
            or >= 0xFE00 and <= 0xFE0F        // variation selectors
            or 0x200D or 0x20E3 or 0x3030 or 0x303D or 0x3297 or 0x3299;

    private static string CollapseWhitespace(string text)
    {
        var result = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            // Control characters (NUL would end espeak-ng's text early) count as space.
            if (char.IsWhiteSpace(c) || char.IsControl(c)) { space = result.Length > 0; continue; }
            // What was removed before punctuation ("great 🎉.") must not leave a gap before it.
            if (space && c is not ('.' or ',' or '!' or '?' or ';' or ':')) result.Append(' ');
            space = false;
            result.Append(c);
        }
        return result.ToString();
    }
}

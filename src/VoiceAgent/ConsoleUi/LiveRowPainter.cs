using Spectre.Console;

namespace VoiceAgent.ConsoleUi;

/// <summary>Draws the two bottom rows of the interactive screen as ANSI text that fits a width:
/// the status line (cut with "…" when too long) and the input line (the prompt and as much of the
/// typed text as fits, scrolled sideways so the cursor shows).</summary>
public sealed class LiveRowPainter
{
    public const string Prompt = "› ";

    private readonly StringWriter _frame = new();
    private AnsiWriter _ansi;

    public LiveRowPainter(ColorSystem colors) => _ansi = CreateAnsi(colors);

    /// <summary>The colours styled pieces are drawn with (NoColors: plain, still with bold).</summary>
    public void UseColors(ColorSystem colors) => _ansi = CreateAnsi(colors);

    /// <summary>The status line in fewer than <paramref name="width"/> cells, and how many it takes.</summary>
    public (string Text, int Cells) Status(IReadOnlyList<StatusSegment> segments, int width)
    {
        var room = width - 1;
        var cells = 0;
        foreach (var segment in segments)
        {
            var piece = AnsiText.Truncate(segment.Text, room - cells);
            if (piece.Length == 0) break;
            Styled(piece, segment.Style);
            cells += piece.GetCellWidth();
            if (piece != segment.Text) break;
        }
        return (TakeFrame(), cells);
    }

    /// <summary>The input line in fewer than <paramref name="width"/> cells, and the column of the
    /// cursor (<paramref name="cursor"/> is an index into <paramref name="typed"/>).</summary>
    public (string Text, int CursorColumn) Input(string typed, int cursor, int width)
    {
        Styled(Prompt, new Style(decoration: Decoration.Bold));
        var room = Math.Max(1, width - 1 - Prompt.GetCellWidth());
        var start = 0;
        while (start < cursor && typed[start..cursor].GetCellWidth() > room - 1)
            start += char.IsHighSurrogate(typed[start]) ? 2 : 1;
        var end = start;
        while (end < typed.Length)
        {
            var next = end + (char.IsHighSurrogate(typed[end]) && end + 1 < typed.Length ? 2 : 1);
            if (typed[start..next].GetCellWidth() > room) break;
            end = next;
        }
        _ansi.Write(typed[start..end]);
        return (TakeFrame(), Prompt.GetCellWidth() + typed[start..cursor].GetCellWidth());
    }

    private void Styled(string text, Style? style)
    {
        if (style is { } s) _ansi.Write(text, s, null!);
        else _ansi.Write(text);
    }

    private string TakeFrame()
    {
        var text = _frame.ToString();
        _frame.GetStringBuilder().Clear();
        return text;
    }

    private AnsiWriter CreateAnsi(ColorSystem colors) =>
        new(_frame, AnsiCapabilities.Create(_frame, new AnsiWriterSettings { Ansi = AnsiSupport.Yes, ColorSystem = ToSupport(colors) }));

    private static ColorSystemSupport ToSupport(ColorSystem colors) => colors switch
    {
        ColorSystem.TrueColor => ColorSystemSupport.TrueColor,
        ColorSystem.EightBit => ColorSystemSupport.EightBit,
        ColorSystem.Standard => ColorSystemSupport.Standard,
        ColorSystem.Legacy => ColorSystemSupport.Legacy,
        _ => ColorSystemSupport.NoColors,
    };
}

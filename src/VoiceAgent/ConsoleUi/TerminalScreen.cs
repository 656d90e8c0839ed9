using System.Text;
using Spectre.Console;

namespace VoiceAgent.ConsoleUi;

/// <summary>
/// The interactive terminal: the conversation scrolls as ordinary lines (so it stays in the
/// terminal's scrollback), and below it a live region is redrawn in place: the reply line still
/// being streamed, the status line, and the input line with what the user is typing. Everything
/// written to the console comes through <see cref="Write"/>, so output never lands in the middle
/// of the typed line, and a typed line never sticks to the reply.
/// </summary>
/// <remarks>
/// Every row of the live region is kept narrower than the terminal, so the terminal never wraps
/// it and the region's height is known: each redraw moves up to its first row, erases to the end
/// of the screen and draws it again, in one write. A streamed reply wider than the terminal is
/// broken at a space and its full rows move up into the conversation. A resize is different:
/// terminals reflow (or cut) what is on screen, and output already on its way through the
/// terminal's input queue lands in the new layout, so no move can be trusted. Once the resize
/// has settled, the screen is cleared and its last rows of conversation drawn again at the new
/// width, with the live rows below.
/// </remarks>
public sealed class TerminalScreen : IStatusDisplay
{
    private const string HideCursor = "\u001b[?25l";
    private const string ShowCursor = "\u001b[?25h";
    private const string EraseDown = "\u001b[J";
    private const string ResetStyle = "\u001b[0m";
    private const string ClearScreen = "\u001b[H\u001b[2J";

    private readonly object _gate = new();
    private readonly TextWriter _terminal;
    private readonly Func<(int Rows, int Columns)?> _measure;
    private readonly List<string> _finished = [];
    private readonly ScreenHistory _history = new();
    private readonly LiveRowPainter _painter;
    private string _open = "";
    private IReadOnlyList<StatusSegment> _status = [new("starting…", new Style(Color.Grey))];
    private string _input = "";
    private int _inputCursor;
    private int[] _widthsDrawn = [];
    private int _cursorColumn;
    private bool _closed;
    private bool _resizing;

    /// <param name="terminal">The real terminal (standard output).</param>
    /// <param name="rows">Its rows.</param>
    /// <param name="width">Its columns.</param>
    /// <param name="measure">Measures the terminal at this instant (null when it cannot): asked
    /// before every redraw, so a redraw that follows a resize closely uses the new width.</param>
    public TerminalScreen(TextWriter terminal, int rows, int width, ColorSystem colors = ColorSystem.NoColors, Func<(int Rows, int Columns)?>? measure = null)
    {
        _terminal = terminal;
        _measure = measure ?? (() => null);
        Height = Math.Max(3, rows);
        Width = Math.Max(2, width);
        _painter = new LiveRowPainter(colors);
    }

    public int Width { get; private set; }

    public int Height { get; private set; }

    /// <summary>The colours styled pieces are drawn with (NoColors: plain, still with bold).</summary>
    public void UseColors(ColorSystem colors)
    {
        lock (_gate) _painter.UseColors(colors);
    }

    /// <summary>Text for the conversation (may hold ANSI styles): complete lines scroll up; the
    /// last, unfinished line stays in the live region until its end arrives.</summary>
    public void Write(string text)
    {
        if (text.Length == 0) return;
        lock (_gate)
        {
            var lines = text.Replace("\r", "").Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                _open += lines[i];
                if (i < lines.Length - 1)
                {
                    _finished.Add(_open);
                    _open = "";
                }
            }
            WrapOpenLine();
            Draw();
        }
    }

    public void Show(StatusSnapshot status)
    {
        lock (_gate)
        {
            _status = StatusLineFormat.Segments(status);
            Draw();
        }
    }

    /// <summary>What the user is typing and where the cursor is in it (an index into the text).</summary>
    public void SetInput(string text, int cursor)
    {
        lock (_gate)
        {
            _input = text;
            _inputCursor = Math.Clamp(cursor, 0, text.Length);
            Draw();
        }
    }

    /// <summary>The terminal is being resized (SIGWINCH): nothing is drawn until <see cref="Resize"/>
    /// says how wide it is now. A redraw in between would move by rows the terminal has already
    /// reflowed, and leave copies of the live rows behind.</summary>
    public void BeginResize()
    {
        lock (_gate) _resizing = true;
    }

    /// <summary>The terminal now has <paramref name="rows"/> by <paramref name="width"/> cells:
    /// the whole screen is drawn again at that size.</summary>
    public void Resize(int rows, int width)
    {
        lock (_gate)
        {
            _resizing = false;
            Height = Math.Max(3, rows);
            Width = Math.Max(2, width);
            WrapOpenLine();
            Draw(fullScreen: true);
        }
    }

    /// <summary>Clears the screen and draws its last rows again (Ctrl+L, or after the terminal
    /// was taken over by another program).</summary>
    public void Redraw()
    {
        lock (_gate) Draw(fullScreen: true);
    }

    /// <summary>Leaves the conversation (and an unfinished line) on screen, removes the status and
    /// input lines and shows the cursor. Later writes go straight to the terminal.</summary>
    public void Close()
    {
        lock (_gate)
        {
            if (_closed) return;
            if (_open.Length > 0) _finished.Add(_open);
            _open = "";
            var text = new StringBuilder();
            MoveToRegionStart(text);
            foreach (var line in _finished) text.Append(line).Append(ResetStyle).Append("\r\n");
            _finished.Clear();
            text.Append(ShowCursor);
            _closed = true;
            Emit(text.ToString());
        }
    }

    private void WrapOpenLine()
    {
        while (AnsiText.Break(_open, Width - 1) is var (head, tail))
        {
            _finished.Add(head);
            _open = tail;
        }
    }

    /// <param name="fullScreen">Clear the screen and fill it again from the conversation kept,
    /// instead of redrawing only the live rows.</param>
    private void Draw(bool fullScreen = false)
    {
        if (_closed)
        {
            // After Close: plain pass-through.
            if (_finished.Count == 0 && _open.Length == 0) return;
            Emit(string.Concat(_finished.Select(l => l + "\r\n")) + _open);
            _finished.Clear();
            _open = "";
            return;
        }
        if (_resizing) return;
        if (_measure() is var (rows, columns) && Math.Max(2, columns) != Width)
        {
            // Resized, and the signal not handled yet: what is on screen cannot be trusted.
            Height = Math.Max(3, rows);
            Width = Math.Max(2, columns);
            WrapOpenLine();
            fullScreen = true;
        }
        var text = new StringBuilder(HideCursor);
        foreach (var line in _finished) _history.Add(line);
        if (fullScreen)
        {
            text.Append(ClearScreen);
            var liveRows = _open.Length > 0 ? 3 : 2;
            foreach (var line in _history.Last(Height - liveRows, Width)) text.Append(line).Append(ResetStyle).Append("\r\n");
        }
        else
        {
            MoveToRegionStart(text);
            foreach (var line in _finished) text.Append(line).Append(ResetStyle).Append("\r\n");
        }
        _finished.Clear();
        _widthsDrawn = [];
        _cursorColumn = 0;

        var widths = new List<int>();
        if (_open.Length > 0)
        {
            text.Append(_open).Append(ResetStyle).Append("\r\n");
            widths.Add(AnsiText.Width(_open));
        }
        var (status, statusWidth) = _painter.Status(_status, Width);
        text.Append(status).Append(ResetStyle).Append("\r\n");
        widths.Add(statusWidth);

        var (input, cursorColumn) = _painter.Input(_input, _inputCursor, Width);
        _cursorColumn = cursorColumn;
        text.Append(input).Append(ResetStyle).Append('\r');
        if (_cursorColumn > 0) text.Append($"\u001b[{_cursorColumn}C");
        text.Append(ShowCursor);
        _widthsDrawn = widths.ToArray();
        Emit(text.ToString());
    }

    /// <summary>From the cursor on the input row to the first row of the live region, erasing it.</summary>
    private void MoveToRegionStart(StringBuilder text)
    {
        // Rows were drawn narrower than the terminal; one that is wider now (the terminal shrank)
        // has been reflowed over several rows.
        var up = _widthsDrawn.Sum(w => Math.Max(1, (w + Width - 1) / Width)) + _cursorColumn / Width;
        text.Append('\r');
        if (up > 0) text.Append($"\u001b[{up}A");
        text.Append(EraseDown);
    }

    private void Emit(string text)
    {
        try
        {
            _terminal.Write(text);
            _terminal.Flush();
        }
        catch (IOException)
        {
            // The terminal is gone (hung up): nothing left to show.
        }
    }
}

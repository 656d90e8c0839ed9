using System.Text;

namespace VoiceAgent.Tests.ConsoleUi;

/// <summary>
/// Just enough of a VT100 to check what <see cref="VoiceAgent.ConsoleUi.TerminalScreen"/> leaves
/// on screen: printing with auto-wrap (the cursor waits at the right margin until the next
/// character), CR, LF, cursor up/right/home (CSI A, C, H), erase below or all (CSI J, 2J);
/// styles and cursor visibility are ignored. The screen grows downwards instead of scrolling, so
/// every row stays readable; its visible part is the last <see cref="Height"/> rows.
/// </summary>
internal sealed class VirtualTerminal(int width, int height = 24) : TextWriter
{
    private readonly List<StringBuilder> _rows = [new()];
    private int _row;
    private int _column;
    private bool _pendingWrap;
    private string _escape = "";

    public int Width { get; set; } = width;

    public int Height { get; } = height;

    public override Encoding Encoding => Encoding.UTF8;

    public IReadOnlyList<string> Rows => _rows.Select(r => r.ToString().TrimEnd()).ToList();

    /// <summary>The row the cursor is on.</summary>
    public int CursorRow => _row;

    public int CursorColumn => _column;

    public override void Write(char value)
    {
        if (_escape.Length > 0 || value == '\u001b')
        {
            _escape += value;
            if (_escape.Length >= 2 && (_escape[1] != '[' || (_escape.Length > 2 && value is >= '@' and <= '~')))
            {
                Apply(_escape);
                _escape = "";
            }
            return;
        }
        switch (value)
        {
            case '\r':
                _column = 0;
                _pendingWrap = false;
                return;
            case '\n':
                LineFeed();
                _pendingWrap = false;
                return;
        }
        if (_pendingWrap)
        {
            LineFeed();
            _column = 0;
            _pendingWrap = false;
        }
        var row = _rows[_row];
        while (row.Length < _column) row.Append(' ');
        if (_column < row.Length) row[_column] = value;
        else row.Append(value);
        if (_column == Width - 1) _pendingWrap = true;
        else _column++;
    }

    public override void Write(string? value)
    {
        foreach (var c in value ?? "") Write(c);
    }

    private void LineFeed()
    {
        _row++;
        if (_row == _rows.Count) _rows.Add(new StringBuilder());
    }

    private void Apply(string sequence)
    {
        if (sequence.Length < 3 || sequence[1] != '[') return;
        var final = sequence[^1];
        var argument = sequence[2..^1];
        var n = int.TryParse(argument, out var parsed) ? parsed : 1;
        _pendingWrap = false;
        switch (final)
        {
            case 'A':
                _row = Math.Max(0, _row - n);
                break;
            case 'C':
                _column = Math.Min(Width - 1, _column + n);
                break;
            case 'H':
                _row = Math.Max(0, _rows.Count - Height);
                _column = 0;
                break;
            case 'J' when argument == "2":
                _rows.RemoveRange(_row, _rows.Count - _row);
                _rows.Add(new StringBuilder());
                break;
            case 'J':
                var row = _rows[_row];
                if (row.Length > _column) row.Length = _column;
                _rows.RemoveRange(_row + 1, _rows.Count - _row - 1);
                break;
        }
    }
}

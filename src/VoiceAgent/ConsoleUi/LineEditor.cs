using System.Text;

namespace VoiceAgent.ConsoleUi;

public enum EditOutcome
{
    /// <summary>Nothing visible changed.</summary>
    None,
    Changed,
    /// <summary>Enter: <see cref="LineEditor.Apply"/> returned the line; the editor is empty again.</summary>
    Submitted,
    /// <summary>Ctrl+D on an empty line.</summary>
    EndOfInput,
    Redraw,
}

/// <summary>
/// The line the user is typing: insert, delete, move by character, word deletion, and history
/// (Up/Down) of the lines sent. Positions are indexes into the text; a surrogate pair moves and
/// deletes as one character.
/// </summary>
public sealed class LineEditor
{
    private readonly StringBuilder _text = new();
    private readonly List<string> _history = [];
    private int _historyIndex;
    private string _draft = "";

    public string Text => _text.ToString();

    public int Cursor { get; private set; }

    public (EditOutcome Outcome, string? Line) Apply(Key key)
    {
        switch (key.Kind)
        {
            case KeyKind.Text:
                _text.Insert(Cursor, key.Text);
                Cursor += key.Text.Length;
                return (EditOutcome.Changed, null);
            case KeyKind.Enter:
                var line = Text;
                if (line.Trim().Length > 0 && (_history.Count == 0 || _history[^1] != line)) _history.Add(line);
                _historyIndex = _history.Count;
                _draft = "";
                Set("");
                return (EditOutcome.Submitted, line);
            case KeyKind.Backspace when Cursor > 0:
                var before = Previous(Cursor);
                _text.Remove(before, Cursor - before);
                Cursor = before;
                return (EditOutcome.Changed, null);
            case KeyKind.Delete when Cursor < _text.Length:
                _text.Remove(Cursor, Next(Cursor) - Cursor);
                return (EditOutcome.Changed, null);
            case KeyKind.EndOfInput:
                if (_text.Length == 0) return (EditOutcome.EndOfInput, null);
                return Apply(new Key(KeyKind.Delete));
            case KeyKind.Left when Cursor > 0:
                Cursor = Previous(Cursor);
                return (EditOutcome.Changed, null);
            case KeyKind.Right when Cursor < _text.Length:
                Cursor = Next(Cursor);
                return (EditOutcome.Changed, null);
            case KeyKind.Home:
                Cursor = 0;
                return (EditOutcome.Changed, null);
            case KeyKind.End:
                Cursor = _text.Length;
                return (EditOutcome.Changed, null);
            case KeyKind.ClearLine:
                Set("");
                return (EditOutcome.Changed, null);
            case KeyKind.DeleteToEnd:
                _text.Remove(Cursor, _text.Length - Cursor);
                return (EditOutcome.Changed, null);
            case KeyKind.DeleteWord:
                var start = Cursor;
                while (start > 0 && _text[start - 1] == ' ') start--;
                while (start > 0 && _text[start - 1] != ' ') start--;
                _text.Remove(start, Cursor - start);
                Cursor = start;
                return (EditOutcome.Changed, null);
            case KeyKind.Up when _historyIndex > 0:
                if (_historyIndex == _history.Count) _draft = Text;
                Set(_history[--_historyIndex]);
                return (EditOutcome.Changed, null);
            case KeyKind.Down when _historyIndex < _history.Count:
                _historyIndex++;
                Set(_historyIndex == _history.Count ? _draft : _history[_historyIndex]);
                return (EditOutcome.Changed, null);
            case KeyKind.Redraw:
                return (EditOutcome.Redraw, null);
            default:
                return (EditOutcome.None, null);
        }
    }

    private void Set(string text)
    {
        _text.Clear().Append(text);
        Cursor = text.Length;
    }

    private int Previous(int index) => index >= 2 && char.IsLowSurrogate(_text[index - 1]) && char.IsHighSurrogate(_text[index - 2]) ? index - 2 : index - 1;

    private int Next(int index) => index + 1 < _text.Length && char.IsHighSurrogate(_text[index]) && char.IsLowSurrogate(_text[index + 1]) ? index + 2 : index + 1;
}

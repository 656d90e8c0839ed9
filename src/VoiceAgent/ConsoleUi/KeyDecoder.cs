using System.Text;

namespace VoiceAgent.ConsoleUi;

public enum KeyKind
{
    /// <summary>Printable text (one or more characters).</summary>
    Text,
    Enter,
    Backspace,
    Delete,
    Left,
    Right,
    Home,
    End,
    Up,
    Down,
    /// <summary>Ctrl+U: clear the line.</summary>
    ClearLine,
    /// <summary>Ctrl+K: delete to the end of the line.</summary>
    DeleteToEnd,
    /// <summary>Ctrl+W: delete the word before the cursor.</summary>
    DeleteWord,
    /// <summary>Ctrl+D: end of input on an empty line, otherwise delete.</summary>
    EndOfInput,
    /// <summary>Ctrl+L: draw the screen again.</summary>
    Redraw,
}

public readonly record struct Key(KeyKind Kind, string Text = "");

/// <summary>
/// Turns the bytes a terminal sends in raw mode into keys: UTF-8 text, control characters and the
/// escape sequences of cursor and editing keys (both the CSI "ESC [" and the application-mode
/// "ESC O" forms). A sequence split across two reads is completed by the next one; an escape
/// followed by something that starts no sequence (Alt+key, a lone Escape) is dropped.
/// </summary>
public sealed class KeyDecoder
{
    private const char Escape = '\u001b';
    private readonly Decoder _utf8 = new UTF8Encoding(false).GetDecoder();
    private string _pending = "";

    public IReadOnlyList<Key> Feed(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[_utf8.GetCharCount(bytes, flush: false)];
        _utf8.GetChars(bytes, chars, flush: false);
        var input = _pending + new string(chars);
        _pending = "";
        var keys = new List<Key>();
        var text = new StringBuilder();
        var i = 0;
        while (i < input.Length)
        {
            var c = input[i];
            if (c == Escape)
            {
                var length = SequenceLength(input, i);
                if (length == 0)
                {
                    _pending = input[i..]; // incomplete: wait for the rest
                    break;
                }
                Flush(text, keys);
                if (FromSequence(input.Substring(i, length)) is { } key) keys.Add(key);
                i += length;
                continue;
            }
            if (FromControl(c) is { } control)
            {
                Flush(text, keys);
                keys.Add(control);
                // A terminal sending CR LF for Enter: one Enter.
                i += c == '\r' && i + 1 < input.Length && input[i + 1] == '\n' ? 2 : 1;
                continue;
            }
            if (!char.IsControl(c)) text.Append(c);
            i++;
        }
        Flush(text, keys);
        return keys;
    }

    private static void Flush(StringBuilder text, List<Key> keys)
    {
        if (text.Length == 0) return;
        keys.Add(new Key(KeyKind.Text, text.ToString()));
        text.Clear();
    }

    /// <summary>How many characters the sequence at <paramref name="start"/> takes; 0 when it is
    /// not complete yet.</summary>
    private static int SequenceLength(string input, int start)
    {
        if (start + 1 >= input.Length) return 0;
        var kind = input[start + 1];
        if (kind == 'O') return start + 2 < input.Length ? 3 : 0;
        if (kind != '[') return 2; // Alt+key or a lone Escape before a key: dropped with it
        for (var i = start + 2; i < input.Length; i++)
            if (input[i] is >= '@' and <= '~') return i - start + 1;
        return 0;
    }

    private static Key? FromSequence(string sequence)
    {
        if (sequence.Length == 3 && sequence[1] is '[' or 'O')
        {
            return sequence[2] switch
            {
                'A' => new Key(KeyKind.Up),
                'B' => new Key(KeyKind.Down),
                'C' => new Key(KeyKind.Right),
                'D' => new Key(KeyKind.Left),
                'H' => new Key(KeyKind.Home),
                'F' => new Key(KeyKind.End),
                _ => null,
            };
        }
        if (sequence[1] == '[' && sequence.EndsWith('~'))
        {
            return sequence[2..^1] switch
            {
                "1" or "7" => new Key(KeyKind.Home),
                "4" or "8" => new Key(KeyKind.End),
                "3" => new Key(KeyKind.Delete),
                _ => null, // page keys, function keys, paste brackets
            };
        }
        return null;
    }

    private static Key? FromControl(char c) => c switch
    {
        '\r' or '\n' => new Key(KeyKind.Enter),
        '\u007f' or '\b' => new Key(KeyKind.Backspace),
        '\u0001' => new Key(KeyKind.Home),
        '\u0005' => new Key(KeyKind.End),
        '\u0002' => new Key(KeyKind.Left),
        '\u0006' => new Key(KeyKind.Right),
        '\u0010' => new Key(KeyKind.Up),
        '\u000e' => new Key(KeyKind.Down),
        '\u0015' => new Key(KeyKind.ClearLine),
        '\u000b' => new Key(KeyKind.DeleteToEnd),
        '\u0017' => new Key(KeyKind.DeleteWord),
        '\u0004' => new Key(KeyKind.EndOfInput),
        '\u000c' => new Key(KeyKind.Redraw),
        _ => null,
    };
}

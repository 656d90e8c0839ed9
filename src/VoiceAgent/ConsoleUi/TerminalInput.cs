using System.Threading.Channels;

namespace VoiceAgent.ConsoleUi;

/// <summary>
/// Typed lines in interactive mode: reads the terminal key by key (it is in raw mode, see
/// <see cref="RawTerminal"/>), edits the line in the screen's input row, and hands each finished
/// line to whoever reads lines, as <see cref="TextReader"/> does. Ctrl+D on an empty line is the
/// end of input. Reading starts at once, so what is typed while the assistant starts up is kept.
/// </summary>
public sealed class TerminalInput : TextReader
{
    private readonly Stream _keys;
    private readonly TerminalScreen _screen;
    private readonly LineEditor _editor = new();
    private readonly KeyDecoder _decoder = new();
    private readonly Channel<string?> _lines = Channel.CreateUnbounded<string?>();
    private bool _ended;

    public TerminalInput(Stream keys, TerminalScreen screen)
    {
        _keys = keys;
        _screen = screen;
        // Reads block and cannot be cancelled: a background thread of its own, ended with the process.
        new Thread(ReadKeys) { IsBackground = true, Name = "terminal-input" }.Start();
    }

    public override string? ReadLine() => ReadLineAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        if (_ended) return null;
        var line = await _lines.Reader.ReadAsync(cancellationToken);
        if (line is null) _ended = true;
        return line;
    }

    private void ReadKeys()
    {
        var buffer = new byte[512];
        while (true)
        {
            int read;
            try
            {
                read = _keys.Read(buffer);
            }
            catch (IOException)
            {
                read = 0;
            }
            if (read == 0)
            {
                _lines.Writer.TryWrite(null);
                return;
            }
            foreach (var key in _decoder.Feed(buffer.AsSpan(0, read)))
            {
                var (outcome, line) = _editor.Apply(key);
                switch (outcome)
                {
                    case EditOutcome.Submitted:
                        _screen.SetInput("", 0);
                        _lines.Writer.TryWrite(line);
                        break;
                    case EditOutcome.EndOfInput:
                        _lines.Writer.TryWrite(null);
                        return;
                    case EditOutcome.Changed:
                        _screen.SetInput(_editor.Text, _editor.Cursor);
                        break;
                    case EditOutcome.Redraw:
                        _screen.Redraw();
                        break;
                }
            }
        }
    }
}

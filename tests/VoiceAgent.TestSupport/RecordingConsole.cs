using System.Text;
using Spectre.Console;

namespace VoiceAgent.TestSupport;

/// <summary>A Spectre console that records plain text (no colours, no wrapping) for assertions.</summary>
public sealed class RecordingConsole
{
    private readonly StringBuilder _text = new();
    private readonly object _gate = new();

    public RecordingConsole()
    {
        var writer = new LockedWriter(this);
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        Console.Profile.Width = 4096;
    }

    public IAnsiConsole Console { get; }

    public string Text
    {
        get { lock (_gate) return _text.ToString(); }
    }

    /// <summary>Waits until the output satisfies <paramref name="condition"/>; fails with the output so far.</summary>
    public async Task WaitFor(Func<string, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            if (condition(Text)) return;
            await Task.Delay(20);
        }
        throw new TimeoutException($"Timed out waiting for {what}. Output so far:\n{Text}");
    }

    private sealed class LockedWriter(RecordingConsole owner) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (owner._gate) owner._text.Append(value);
        }

        public override void Write(string? value)
        {
            lock (owner._gate) owner._text.Append(value);
        }
    }
}

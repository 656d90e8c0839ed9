using System.Runtime.InteropServices;
using System.Text;
using Akka.Configuration;
using Spectre.Console;
using VoiceAgent.ConsoleUi;

namespace VoiceAgent.Hosting;

/// <summary>
/// The console the assistant runs in. In a terminal (standard input and output both a terminal,
/// <c>console.interactive = auto</c>): the conversation scrolls above an input line of its own and
/// a status line (<see cref="TerminalScreen"/>), keys are read in raw mode, a resize redraws at
/// the new width. Otherwise (piped or redirected, TERM=dumb, <c>console.interactive = off</c>):
/// plain lines with no ANSI codes, read line by line, which scripts and tests rely on.
/// Disposing restores the terminal.
/// </summary>
public sealed class ConsoleSession : IDisposable
{
    private static readonly TimeSpan ResizeSettle = TimeSpan.FromMilliseconds(100);
    private readonly Action? _close;

    private ConsoleSession(ConsoleIo io, Action? close)
    {
        Io = io;
        _close = close;
    }

    public ConsoleIo Io { get; }

    public bool IsInteractive => _close is not null;

    public static ConsoleSession Open(Config root)
    {
        var wanted = root.GetString("voice-agent.console.interactive", "auto");
        var color = root.GetBoolean("voice-agent.console.color", true);
        // Raw key input needs stty (Unix); Windows consoles get plain lines for now.
        if (wanted != "off" && !OperatingSystem.IsWindows() && IsTerminal() && RawTerminal.TryEnter() is { } raw) return Interactive(raw, color);
        return new ConsoleSession(Plain(), null);
    }

    private static bool IsTerminal() =>
        !Console.IsInputRedirected && !Console.IsOutputRedirected &&
        Environment.GetEnvironmentVariable("TERM") is { Length: > 0 } term && term != "dumb";

    /// <summary>Plain lines, no ANSI codes; typed lines are echoed only when the terminal does not
    /// show them itself (input is piped).</summary>
    private static ConsoleIo Plain()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(Console.Out),
        });
        // Redirected output is read by programs, not people: do not wrap it at 80 columns.
        if (Console.IsOutputRedirected) console.Profile.Width = 4096;
        return new ConsoleIo(Console.In, console, Console.IsInputRedirected);
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static ConsoleSession Interactive(RawTerminal raw, bool color)
    {
        var terminal = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = false };
        var (rows, columns) = Size();
        var screen = new TerminalScreen(terminal, rows, columns, measure: TerminalSize.Measure);
        var writer = new ScreenWriter(screen);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            // Detect honours NO_COLOR and the terminal's TERM/COLORTERM.
            ColorSystem = color ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        // One column less than the screen: Spectre's own wrapping then never exceeds a live row.
        console.Profile.Width = screen.Width - 1;
        screen.UseColors(console.Profile.Capabilities.ColorSystem);

        // Anything else that writes to the console (loggers, libraries) goes above the live rows too.
        var (output, error) = (Console.Out, Console.Error);
        Console.SetOut(writer);
        if (!Console.IsErrorRedirected) Console.SetError(writer);

        // A window being dragged sends many signals: drawing pauses, and resumes at the new width
        // once they settle. The width comes from the terminal itself: the runtime's cached
        // Console.WindowWidth can lag a resize.
        var settle = new Timer(_ =>
        {
            var (rows, columns) = Size();
            screen.Resize(rows, columns);
            console.Profile.Width = screen.Width - 1;
        });
        var resized = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, _ =>
        {
            screen.BeginResize();
            settle.Change(ResizeSettle, Timeout.InfiniteTimeSpan);
        });
        // Back from Ctrl+Z: the shell reset the terminal while it had it.
        var resumed = PosixSignalRegistration.Create(PosixSignal.SIGCONT, _ =>
        {
            raw.Reenter();
            screen.Redraw();
        });

        // File descriptor 0 itself: Console.OpenStandardInput on a terminal reads through .NET's own
        // line editor, which echoes and waits for Enter.
        var keys = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(0, ownsHandle: false), FileAccess.Read, bufferSize: 0);
        var io = new ConsoleIo(new TerminalInput(keys, screen), console, EchoTypedLines: true, screen);
        return new ConsoleSession(io, () =>
        {
            resized.Dispose();
            resumed.Dispose();
            settle.Dispose();
            screen.Close();
            Console.SetOut(output);
            Console.SetError(error);
            raw.Dispose();
        });
    }

    /// <summary>The terminal's size now: from the kernel, else from stty, else the runtime's (cached) figure.</summary>
    private static (int Rows, int Columns) Size() =>
        TerminalSize.Measure() ?? RawTerminal.Size() ?? (Console.WindowHeight, Console.WindowWidth);

    public void Dispose() => _close?.Invoke();
}

using System.ComponentModel;
using System.Diagnostics;

namespace VoiceAgent.ConsoleUi;

/// <summary>
/// Puts the terminal in raw mode (no line editing, no echo; Ctrl+C still interrupts) and restores
/// it as it was. Uses stty, which every Unix has: the settings stay in force for the whole session,
/// so nothing typed is ever echoed by the terminal into the screen's rows.
/// </summary>
public sealed class RawTerminal : IDisposable
{
    private static readonly string[] Raw = ["-icanon", "-echo", "min", "1", "time", "0"];
    private readonly string _saved;
    private int _restored;

    private RawTerminal(string saved) => _saved = saved;

    /// <summary>Raw mode, or null when the terminal cannot be switched (no stty, not a terminal).</summary>
    public static RawTerminal? TryEnter()
    {
        var saved = Stty("-g");
        if (string.IsNullOrWhiteSpace(saved) || Stty(Raw) is null) return null;
        return new RawTerminal(saved.Trim());
    }

    /// <summary>The terminal's rows and columns as it reports them now (the runtime's
    /// Console.WindowWidth may lag a resize), or null.</summary>
    public static (int Rows, int Columns)? Size() =>
        Stty("size")?.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var rows, var columns]
        && int.TryParse(rows, out var r) && int.TryParse(columns, out var c) && r > 0 && c > 0
            ? (r, c)
            : null;

    /// <summary>Raw mode again, after the shell had the terminal (the process was suspended).</summary>
    public void Reenter() => Stty(Raw);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _restored, 1) == 0) Stty(_saved);
    }

    /// <summary>Runs stty on our own terminal (it inherits standard input); its output, or null.</summary>
    private static string? Stty(params string[] arguments)
    {
        var start = new ProcessStartInfo("stty")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        try
        {
            using var stty = Process.Start(start);
            if (stty is null) return null;
            var output = stty.StandardOutput.ReadToEnd();
            stty.StandardError.ReadToEnd();
            return stty.WaitForExit(5000) && stty.ExitCode == 0 ? output : null;
        }
        catch (Win32Exception)
        {
            return null;
        }
    }
}

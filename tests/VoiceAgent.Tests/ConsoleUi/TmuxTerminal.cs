using System.Diagnostics;
using VoiceAgent.TestSupport;

namespace VoiceAgent.Tests.ConsoleUi;

/// <summary>
/// The assistant in a real pseudo-terminal: a private tmux server (its own socket) runs the built
/// program in a window of a given size; the test types with send-keys and reads the screen with
/// capture-pane. Every wait is for content, with a generous deadline, never for a time: on a busy
/// machine the program is slower, not different. After the program exits, the shell records its
/// exit code and the terminal settings it left behind.
/// </summary>
internal sealed class TmuxTerminal : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private readonly string _folder = Directory.CreateTempSubdirectory("voice-agent-tmux-").FullName;
    private string Socket => Path.Combine(_folder, "tmux.sock");

    private TmuxTerminal()
    {
    }

    /// <summary>Starts voice-agent with <paramref name="arguments"/> in a <paramref name="columns"/>
    /// by <paramref name="rows"/> terminal.</summary>
    public static TmuxTerminal Start(int columns, int rows, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        Require();
        var terminal = new TmuxTerminal();
        var program = string.Join(' ', new[] { "dotnet", CliRunner.ProgramPath() }.Concat(arguments).Select(Quote));
        var after = $"echo $? > {Quote(terminal.File("exit-code"))}; stty -a > {Quote(terminal.File("stty"))}; exec sleep 600";
        var start = new List<string> { "new-session", "-d", "-x", columns.ToString(), "-y", rows.ToString(), "-s", "va", "-c", terminal._folder };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.AddRange(["-e", $"{key}={value}"]);
        start.Add($"{program}; {after}");
        terminal.Tmux(start.ToArray());
        return terminal;
    }

    /// <summary>The screen's rows, trailing spaces and empty rows at the bottom removed.</summary>
    public IReadOnlyList<string> Rows()
    {
        var rows = Tmux("capture-pane", "-p", "-t", "va").Split('\n').Select(r => r.TrimEnd()).ToList();
        while (rows.Count > 0 && rows[^1].Length == 0) rows.RemoveAt(rows.Count - 1);
        return rows;
    }

    /// <summary>The screen with its styles, as escape sequences.</summary>
    public string StyledScreen() => Tmux("capture-pane", "-p", "-e", "-t", "va");

    /// <summary>Types text, without Enter.</summary>
    public void Type(string text) => Tmux("send-keys", "-t", "va", "-l", text);

    /// <summary>Presses keys by tmux name: Enter, C-c, Left…</summary>
    public void Press(params string[] keys) => Tmux(["send-keys", "-t", "va", .. keys]);

    public void Resize(int columns) => Tmux("resize-window", "-t", "va", "-x", columns.ToString());

    /// <summary>Waits until the screen shows what <paramref name="condition"/> looks for.</summary>
    public async Task<IReadOnlyList<string>> WaitFor(Func<IReadOnlyList<string>, bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        IReadOnlyList<string> rows = [];
        while (clock.Elapsed < Deadline)
        {
            rows = Rows();
            if (condition(rows)) return rows;
            await Task.Delay(100);
        }
        throw new TimeoutException($"Timed out waiting for {what}. Screen:\n{string.Join('\n', rows)}");
    }

    /// <summary>Waits for the program to end; its exit code and the terminal settings it left.</summary>
    public async Task<(int ExitCode, string TerminalSettings)> WaitForExit()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Deadline)
        {
            if (System.IO.File.Exists(File("stty")) && new FileInfo(File("stty")).Length > 0)
            {
                await Task.Delay(100); // the shell may still be writing
                return (int.Parse((await System.IO.File.ReadAllTextAsync(File("exit-code"))).Trim()), await System.IO.File.ReadAllTextAsync(File("stty")));
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"voice-agent did not exit. Screen:\n{string.Join('\n', Rows())}");
    }

    /// <summary>The last row (the input line) and the one above it (the status line).</summary>
    public static (string Status, string Input) LiveRows(IReadOnlyList<string> rows) =>
        rows.Count >= 2 ? (rows[^2], rows[^1]) : ("", "");

    public void Dispose()
    {
        try
        {
            Tmux("kill-server");
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        Directory.Delete(_folder, recursive: true);
    }

    private string File(string name) => Path.Combine(_folder, name);

    private string Tmux(params string[] arguments)
    {
        var start = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // No user configuration (status bar, key bindings, options): the same terminal everywhere.
        start.ArgumentList.Add("-f");
        start.ArgumentList.Add("/dev/null");
        start.ArgumentList.Add("-S");
        start.ArgumentList.Add(Socket);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // The program must not think it runs inside the test's own terminal multiplexer.
        start.Environment.Remove("TMUX");
        using var tmux = Process.Start(start)!;
        var output = tmux.StandardOutput.ReadToEnd();
        var error = tmux.StandardError.ReadToEnd();
        tmux.WaitForExit();
        if (tmux.ExitCode != 0) throw new InvalidOperationException($"tmux {string.Join(' ', arguments)}: {error.Trim()}");
        return output;
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''") + "'";

    /// <summary>tmux is in scripts/system-packages.sh; without it the terminal tests are skipped
    /// locally, and fail under CI=true, where a missing tool is a broken environment.</summary>
    private static void Require()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(dir => System.IO.File.Exists(Path.Combine(dir, "tmux")));
        if (onPath) return;
        const string message = "tmux is not installed (bash scripts/system-packages.sh installs it)";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Assert.Fail("CI=true, but " + message);
        Assert.Skip(message);
    }
}

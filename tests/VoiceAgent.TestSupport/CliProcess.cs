using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace VoiceAgent.TestSupport;

/// <summary>
/// The built voice-agent program running as its own process, for tests that talk to it while it
/// runs: wait for a line it prints, send it a POSIX signal, wait for it to exit. Standard input
/// stays open (the assistant would take its end as "quit").
/// </summary>
public sealed partial class CliProcess : IAsyncDisposable
{
    public const int SIGHUP = 1, SIGINT = 2, SIGTERM = 15;

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly object _lock = new();
    private long _signalledAt;

    private CliProcess(Process process) => _process = process;

    public static CliProcess Start(IEnumerable<string> arguments, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = CliRunner.StartInfo(arguments, environment, workingDirectory);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var cli = new CliProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (cli._lock) cli._output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (cli._lock) cli._error.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    public string StandardOutput { get { lock (_lock) return _output.ToString(); } }
    public string StandardError { get { lock (_lock) return _error.ToString(); } }

    /// <summary>Waits (bounded) until <paramref name="text"/> appears on standard output or error;
    /// returns that stream's text so far.</summary>
    public async Task<string> WaitForAsync(string text, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if (StandardOutput.Contains(text)) return StandardOutput;
            if (StandardError.Contains(text)) return StandardError;
            if (_process.HasExited) break;
            await Task.Delay(20);
        }
        throw new TimeoutException($"voice-agent never printed \"{text}\". Output: {StandardOutput} Errors: {StandardError}");
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    /// <summary>Sends a signal, as kill(1) or a closing terminal would.</summary>
    public void Signal(int signal)
    {
        Interlocked.Exchange(ref _signalledAt, Stopwatch.GetTimestamp());
        if (Kill(_process.Id, signal) != 0) throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Time from the last <see cref="Signal"/> to the exit (for reports, not asserts).</summary>
    public TimeSpan StopTime { get; private set; }

    /// <summary>Waits for the exit; a process still running after <paramref name="timeout"/> is
    /// killed and the test fails with what it printed.</summary>
    public async Task<CliResult> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"voice-agent did not exit within {timeout.TotalSeconds} s. Output: {StandardOutput} Errors: {StandardError}");
        }
        var signalled = Interlocked.Read(ref _signalledAt);
        if (signalled != 0) StopTime = Stopwatch.GetElapsedTime(signalled);
        _process.WaitForExit(); // the last output lines
        return new CliResult(_process.ExitCode, StandardOutput, StandardError);
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}

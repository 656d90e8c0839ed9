using System.CommandLine;
using VoiceAgent.Commands;
using VoiceAgent.Configuration;
using VoiceAgent.Hosting;

namespace VoiceAgent;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var root = BuildCommandLine();
        var parse = root.Parse(args);
        if (CommandLineErrors.Report(parse, Console.Error)) return CommandLineErrors.ExitCode;
        // SIGINT, SIGTERM and SIGHUP cancel the token every command gets (see ShutdownSignals).
        var signals = ShutdownSignals.Process;
        try
        {
            var code = await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false }, signals.Token);
            if (signals.Received is not null && code == signals.InterruptedExitCode)
                TryWriteError($"voice-agent: stopped by {signals.Received} before the work was done.");
            return code;
        }
        catch (InvalidConfigurationException e)
        {
            await Console.Error.WriteLineAsync($"voice-agent: {e.Message}");
            return CommandLineErrors.ExitCode;
        }
        catch (OperationCanceledException) when (signals.Token.IsCancellationRequested)
        {
            TryWriteError($"voice-agent: stopped by {signals.Received} before the work was done.");
            return signals.InterruptedExitCode;
        }
        catch (Exception e)
        {
            // A fault of ours: one line, never a stack trace.
            TryWriteError($"voice-agent: unexpected error ({e.GetType().Name}): {e.Message}");
            return 1;
        }
    }

    /// <summary>After SIGHUP the terminal may be gone; a last line must not become a crash.</summary>
    private static void TryWriteError(string line)
    {
        try
        {
            Console.Error.WriteLine(line);
        }
        catch (IOException)
        {
        }
    }

    public static RootCommand BuildCommandLine()
    {
        var global = new GlobalOptions();
        var root = new RootCommand(
            "VoiceAgent: a spoken assistant you can interrupt. With no command it runs the assistant " +
            "(text mode when no speech recognizer is available). Configuration: HOCON.conf defaults, then " +
            "--profile, --config, -D key=value.");
        global.AddTo(root);
        RunCommand.Attach(root, global);
        root.Subcommands.Add(ConfigCommand.Create(global));
        root.Subcommands.Add(DevicesCommand.Create(global));
        root.Subcommands.Add(SayCommand.Create(global));
        root.Subcommands.Add(TtsServerCommand.Create(global));
        root.Subcommands.Add(SimulateCommand.Create(global));
        root.Subcommands.Add(DoctorCommand.Create(global));
        root.Subcommands.Add(TranscribeCommand.Create(global));
        root.Subcommands.Add(ModelsCommand.Create(global));
        return root;
    }
}

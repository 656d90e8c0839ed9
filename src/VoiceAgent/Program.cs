using System.CommandLine;
using VoiceAgent.Commands;
using VoiceAgent.Configuration;

namespace VoiceAgent;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var root = BuildCommandLine();
        try
        {
            // The Generic Host handles Ctrl+C for the assistant itself; commands handle their own.
            return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false });
        }
        catch (InvalidConfigurationException e)
        {
            await Console.Error.WriteLineAsync($"voice-agent: {e.Message}");
            return 2;
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

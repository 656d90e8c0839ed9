using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Spectre.Console;
using VoiceAgent.Hosting;

namespace VoiceAgent.Commands;

/// <summary><c>voice-agent</c> with no command: runs the assistant until Ctrl+C, /quit or the end of input.</summary>
public static class RunCommand
{
    public static void Attach(RootCommand root, GlobalOptions global)
    {
        root.SetAction(async (parse, stopping) =>
        {
            var config = global.Load(parse);
            // Disposed last: the terminal is restored after the host has stopped.
            using var console = ConsoleSession.Open(config.Config);
            var io = console.Io;
            using var host = VoiceAgentHost.Build(config, io);
            io.Output.MarkupLine($"[bold]VoiceAgent[/] [grey]— {Markup.Escape(ConsoleUi.ConsoleInputService.Help)}[/]");
            // Ctrl+C, SIGTERM and SIGHUP (the terminal closed) stop it cleanly: actors stop, logs are flushed.
            await host.RunAsync(stopping);
            try
            {
                io.Output.MarkupLine("[grey]Bye.[/]");
            }
            catch (IOException)
            {
                // The terminal is gone (SIGHUP): nobody is left to tell.
            }
            return 0;
        });
    }
}

using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using VoiceAgent.Audio.Diagnostics;
using VoiceAgent.Doctor;

namespace VoiceAgent.Commands;

/// <summary><c>voice-agent doctor</c>: one table of what the assistant will use and whether it
/// works, each row with the command that fixes it. Exit code 0 when the configured path can run,
/// 1 when a row it needs is missing or failing, 2 for bad settings.</summary>
public static class DoctorCommand
{
    public static Command Create(GlobalOptions global)
    {
        var timeout = new Option<double>("--timeout")
        {
            Description = $"Seconds a check of an endpoint (language model, recognizer, TTS server) may take (default {DoctorOptions.DefaultTimeout.TotalSeconds:0}); " +
                          $"one that takes longer is shown as failing. Local checks may take up to {DoctorOptions.DefaultLocalTimeout.TotalSeconds:0} s.",
            DefaultValueFactory = _ => DoctorOptions.DefaultTimeout.TotalSeconds,
        };
        var command = new Command("doctor",
            "Check what the assistant will use — audio server, microphone (with its level), speakers, espeak-ng, MP3 libraries, " +
            "VAD model, speech recognition, language model, TTS endpoint — and print one table with a fix for each problem. " +
            "Exit code 0 when the configured path can run, 1 otherwise.");
        command.Options.Add(timeout);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var config = global.Load(parse).Config;
            var seconds = parse.GetValue(timeout);
            if (seconds is < 0.5 or > 300)
            {
                await Console.Error.WriteLineAsync($"voice-agent doctor: --timeout {seconds} is out of range: use 0.5 to 300 seconds.");
                return 2;
            }
            var limit = TimeSpan.FromSeconds(seconds);
            await using var provider = new ServiceCollection().AddDoctor(config, limit).BuildServiceProvider();

            var console = AnsiConsole.Console;
            // Redirected output is read by programs: no wrapping inside table cells.
            if (Console.IsOutputRedirected) console.Profile.Width = 4096;
            console.MarkupLine($"[grey]Checking, all at once; an endpoint gets at most {limit.TotalSeconds:0.#} s to answer (the microphone is listened to for {MicrophoneCheck.Listen.TotalSeconds:0} s)…[/]");
            var report = await provider.GetRequiredService<DoctorRunner>().RunAsync(cancellationToken);
            DoctorTable.Render(console, report);
            return report.ExitCode;
        });
        return command;
    }
}

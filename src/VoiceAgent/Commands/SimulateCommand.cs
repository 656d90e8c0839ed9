using System.CommandLine;
using VoiceAgent.Simulation;

namespace VoiceAgent.Commands;

/// <summary><c>voice-agent simulate FILE</c>: runs a barge-in/echo scenario in the virtual room with
/// the real TTS path, the real VAD and the real actors, and prints a JSON report.</summary>
public static class SimulateCommand
{
    public static Command Create(GlobalOptions global)
    {
        var file = new Argument<FileInfo>("scenario") { Description = "A scenario file (JSON), e.g. scenarios/interrupt-mid-reply.json." };
        var record = new Option<DirectoryInfo?>("--record") { Description = "Write what the speakers played and the microphone heard (speaker.wav, microphone.wav) to this folder." };
        var command = new Command("simulate", "Run a scenario in the virtual room (scripted user speech, echo, real TTS and VAD) and print a JSON report of interruptions, false interruptions and resumes.");
        command.Arguments.Add(file);
        command.Options.Add(record);
        command.SetAction(async (parse, cancellation) =>
        {
            var options = new ScenarioOptions
            {
                Profile = parse.GetValue(global.Profile),
                ConfigFile = parse.GetValue(global.ConfigFile)?.FullName,
                Overrides = parse.GetValue(global.Overrides) ?? [],
                RecordingFolder = parse.GetValue(record)?.FullName,
            };
            return await SimulateCli.RunAsync(parse.GetValue(file)!.FullName, options, Console.Out, Console.Error, cancellation);
        });
        return command;
    }
}

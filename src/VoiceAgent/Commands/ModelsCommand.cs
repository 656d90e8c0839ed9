using System.CommandLine;
using VoiceAgent.Listening;
using VoiceAgent.Listening.Models;

namespace VoiceAgent.Commands;

/// <summary><c>voice-agent models list | pull | remove</c>: the Whisper models in the per-user
/// models folder (voice-agent.models.folder, or --dir).</summary>
public static class ModelsCommand
{
    public static Command Create(GlobalOptions global)
    {
        var command = new Command("models", "List, download and remove Whisper speech models (kept in the per-user models folder; voice-agent.models.folder or --dir).");
        command.Subcommands.Add(List(global));
        command.Subcommands.Add(Pull(global));
        command.Subcommands.Add(Remove(global));
        return command;
    }

    private static Option<DirectoryInfo?> DirOption() =>
        new("--dir") { Description = "Use this models folder instead of voice-agent.models.folder (default: the per-user data folder)." };

    private static ModelsCli Cli(GlobalOptions global, ParseResult parse) =>
        new(ListeningSettings.FromConfig(global.Load(parse).Config), Console.Out, Console.Error, interactive: !Console.IsErrorRedirected);

    private static Command List(GlobalOptions global)
    {
        var dir = DirOption();
        var command = new Command("list", "Show the Whisper models that can be downloaded: size, SHA-1, whether installed and where.");
        command.Options.Add(dir);
        command.SetAction(parse => Cli(global, parse).List(parse.GetValue(dir)?.FullName));
        return command;
    }

    private static Command Pull(GlobalOptions global)
    {
        var name = new Argument<string?>("name") { Description = "A model from 'voice-agent models list' (default: voice-agent.listening.whisper.model, base.en).", Arity = ArgumentArity.ZeroOrOne };
        var dir = DirOption();
        var ifMissing = new Option<bool>("--if-missing") { Description = "Do nothing when the model's file is already there (no checksum pass)." };
        var command = new Command("pull", "Download a Whisper model with progress; resumes a cut download, checks the SHA-1 before the file is used, writes it atomically. Exit code 1 when it cannot.");
        command.Arguments.Add(name);
        command.Options.Add(dir);
        command.Options.Add(ifMissing);
        command.SetAction((parse, cancellation) => Cli(global, parse).PullAsync(parse.GetValue(name), parse.GetValue(dir)?.FullName, parse.GetValue(ifMissing), cancellation));
        return command;
    }

    private static Command Remove(GlobalOptions global)
    {
        var name = new Argument<string>("name") { Description = "The model to delete, e.g. base.en." };
        var dir = DirOption();
        var command = new Command("remove", "Delete a downloaded Whisper model (and any partial download of it).");
        command.Arguments.Add(name);
        command.Options.Add(dir);
        command.SetAction(parse => Cli(global, parse).Remove(parse.GetValue(name)!, parse.GetValue(dir)?.FullName));
        return command;
    }
}

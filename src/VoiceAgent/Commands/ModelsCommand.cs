using System.CommandLine;
using VoiceAgent.Conversation;
using VoiceAgent.Conversation.Local;
using VoiceAgent.Listening;
using VoiceAgent.Listening.Models;

namespace VoiceAgent.Commands;

/// <summary><c>voice-agent models list | pull | remove</c>: the Whisper and language models in the
/// per-user models folder (voice-agent.models.folder, or --dir).</summary>
public static class ModelsCommand
{
    public static Command Create(GlobalOptions global)
    {
        var command = new Command("models", "List, download and remove Whisper speech models and local language models (GGUF) (kept in the per-user models folder; voice-agent.models.folder or --dir).");
        command.Subcommands.Add(List(global));
        command.Subcommands.Add(Pull(global));
        command.Subcommands.Add(Remove(global));
        return command;
    }

    private static Option<DirectoryInfo?> DirOption() =>
        new("--dir") { Description = "Use this models folder instead of voice-agent.models.folder (default: the per-user data folder)." };

    private static ModelsCli Cli(GlobalOptions global, ParseResult parse)
    {
        var config = global.Load(parse).Config;
        return new(ListeningSettings.FromConfig(config), Console.Out, Console.Error, interactive: !Console.IsErrorRedirected)
        {
            ConfiguredLanguageModel = ConversationSettings.FromConfig(config).Local.Model,
        };
    }

    /// <summary>--language-model: the configured local model, when a local model would answer and
    /// none is installed yet (run.sh asks this at every start). Null: nothing to do.</summary>
    private static string? LanguageModelToOffer(GlobalOptions global, ParseResult parse, string? folder)
    {
        var settings = ConversationSettings.FromConfig(global.Load(parse).Config);
        if (!settings.Local.OfferDownload || settings.Provider is not ("auto" or "local")) return null;
        if (settings.Provider == "auto" && (!string.IsNullOrWhiteSpace(settings.BaseUrl) || !string.IsNullOrWhiteSpace(settings.Model))) return null;
        var store = folder is null ? ModelStore.For(settings.Models) : new ModelStore(folder);
        if (LocalModelLocation.Installed(settings.Local, store) is not null) return null;
        return ChatModelCatalog.Find(settings.Local.Model)?.Name;
    }

    private static Command List(GlobalOptions global)
    {
        var dir = DirOption();
        var command = new Command("list", "Show the Whisper and language models that can be downloaded: size, checksum, whether installed and where.");
        command.Options.Add(dir);
        command.SetAction(parse => Cli(global, parse).List(parse.GetValue(dir)?.FullName));
        return command;
    }

    private static Command Pull(GlobalOptions global)
    {
        var name = new Argument<string?>("name") { Description = "A model from 'voice-agent models list' (default: voice-agent.listening.whisper.model, base.en).", Arity = ArgumentArity.ZeroOrOne };
        var dir = DirOption();
        var ifMissing = new Option<bool>("--if-missing") { Description = "Do nothing when the model's file is already there (no checksum pass)." };
        var languageModel = new Option<bool>("--language-model")
        {
            Description = "Pull the local language model (voice-agent.conversation.local.model) if a local model would answer and none is installed; " +
                          "does nothing with provider = offline or openai-compatible, an endpoint configured, or voice-agent.conversation.local.offer-download = false.",
        };
        var command = new Command("pull", "Download a Whisper or language model with progress; resumes a cut download, checks the SHA-1/SHA-256 (or exact size) before the file is used, writes it atomically. Exit code 1 when it cannot.");
        command.Arguments.Add(name);
        command.Options.Add(dir);
        command.Options.Add(ifMissing);
        command.Options.Add(languageModel);
        command.SetAction(async (parse, cancellation) =>
        {
            var folder = parse.GetValue(dir)?.FullName;
            if (!parse.GetValue(languageModel))
                return await Cli(global, parse).PullAsync(parse.GetValue(name), folder, parse.GetValue(ifMissing), cancellation);
            // Offline, the pull's own one-line failure is all that is said; the assistant then
            // starts with the offline responder, labelled on screen.
            return LanguageModelToOffer(global, parse, folder) is { } offered
                ? await Cli(global, parse).PullAsync(offered, folder, ifMissing: true, cancellation)
                : 0;
        });
        return command;
    }

    private static Command Remove(GlobalOptions global)
    {
        var name = new Argument<string>("name") { Description = "The model to delete, e.g. base.en or qwen2.5-0.5b-instruct (or the name of a GGUF file in the folder)." };
        var dir = DirOption();
        var command = new Command("remove", "Delete a downloaded model (and any partial download of it).");
        command.Arguments.Add(name);
        command.Options.Add(dir);
        command.SetAction(parse => Cli(global, parse).Remove(parse.GetValue(name)!, parse.GetValue(dir)?.FullName));
        return command;
    }
}

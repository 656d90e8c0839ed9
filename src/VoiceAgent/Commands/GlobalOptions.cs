using System.CommandLine;
using VoiceAgent.Configuration;

namespace VoiceAgent.Commands;

/// <summary>Options every command takes: the configuration layers.</summary>
public sealed class GlobalOptions
{
    public Option<string?> Profile { get; } = new("--profile", "-p")
    {
        Description = "Layer config/NAME.conf over the defaults (offline, telnyx, openai, ollama, or your own file in ./config).",
        Recursive = true,
    };

    public Option<FileInfo?> ConfigFile { get; } = new("--config", "-c")
    {
        Description = "Layer a HOCON file over the defaults and the profile.",
        Recursive = true,
    };

    public Option<string[]> Overrides { get; } = new("-D")
    {
        Description = "Override one key, last and strongest: -D tts.voice=en-us (the 'voice-agent.' prefix is optional). Repeatable.",
        Recursive = true,
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Profile);
        command.Options.Add(ConfigFile);
        command.Options.Add(Overrides);
    }

    public LayeredConfig Load(ParseResult parse) =>
        DefaultConfig.Load(parse.GetValue(Profile), parse.GetValue(ConfigFile)?.FullName, parse.GetValue(Overrides));
}

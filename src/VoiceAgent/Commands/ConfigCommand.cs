using System.CommandLine;
using VoiceAgent.Configuration;

namespace VoiceAgent.Commands;

/// <summary><c>voice-agent config</c>: the effective configuration, each key with the layer that set it.</summary>
public static class ConfigCommand
{
    public static Command Create(GlobalOptions global)
    {
        var akka = new Option<bool>("--akka") { Description = "Also print the akka.* keys." };
        var command = new Command("config", "Print the effective configuration (defaults, profile, file, -D overrides), secrets masked, each key with the layer that set it.");
        command.Options.Add(akka);
        command.SetAction(parse =>
        {
            var layered = global.Load(parse);
            Console.Out.Write(ConfigPrinter.Render(layered, parse.GetValue(akka)));
            return 0;
        });
        return command;
    }
}

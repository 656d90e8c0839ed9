using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using VoiceAgent.Configuration;
using VoiceAgent.Extensions;

namespace VoiceAgent.Hosting;

/// <summary>One enabled block of <c>voice-agent.extensions</c>, its actor type already resolved.</summary>
public sealed record ExtensionSpec(string Name, Type ActorType, Config Settings);

/// <summary>
/// Creates the actors listed under <c>voice-agent.extensions</c>. Types are resolved when the host
/// is built, so a typo stops the app with one line before anything starts.
/// </summary>
public static class ExtensionLoader
{
    public const string Section = "voice-agent.extensions";

    public static IReadOnlyList<ExtensionSpec> Resolve(Config root)
    {
        var specs = new List<ExtensionSpec>();
        var section = root.GetConfig(Section);
        if (section is null || section.IsEmpty) return specs;
        foreach (var (name, _) in section.Root.GetObject().Items)
        {
            var block = section.GetConfig(name);
            var key = $"{Section}.{name}";
            if (!block.GetBoolean("enabled", true)) continue;
            var typeName = block.GetString("type", "");
            if (string.IsNullOrWhiteSpace(typeName))
                throw new InvalidConfigurationException($"Extension '{name}' has no type: set {key}.type = \"Namespace.Type, Assembly\".");
            var type = Type.GetType(typeName, throwOnError: false)
                ?? throw new InvalidConfigurationException($"Extension '{name}': type '{typeName}' was not found ({key}.type); check the namespace and assembly name, and that the assembly is beside the app.");
            if (!typeof(ActorBase).IsAssignableFrom(type))
                throw new InvalidConfigurationException($"Extension '{name}': {type.FullName} is not an actor ({key}.type must name an ActorBase subclass).");
            if (type.GetConstructor([typeof(ExtensionContext)]) is null && type.GetConstructor(Type.EmptyTypes) is null)
                throw new InvalidConfigurationException($"Extension '{name}': {type.FullName} needs a constructor taking ExtensionContext (or none).");
            specs.Add(new ExtensionSpec(name, type, block));
        }
        return specs;
    }

    public static AkkaConfigurationBuilder WithExtensions(this AkkaConfigurationBuilder builder, IReadOnlyList<ExtensionSpec> extensions) =>
        builder.WithActors((system, _) =>
        {
            var actors = extensions.Select(extension =>
            {
                var props = extension.ActorType.GetConstructor([typeof(ExtensionContext)]) is not null
                    ? Props.Create(extension.ActorType, new ExtensionContext(extension.Name, extension.Settings))
                    : Props.Create(extension.ActorType);
                return system.ActorOf(props, "extension-" + extension.Name);
            }).ToList();
            GracefulLifetime.AwaitStarted(actors);
            GracefulLifetime.StopGracefullyOnShutdown(system, actors, "stop-extensions");
        });
}

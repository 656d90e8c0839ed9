using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace VoiceAgent.Configuration;

/// <summary>
/// The effective configuration: the defaults, then each layer on top (profile, --config file,
/// -D overrides). Every layer is checked on its own, so an error names the file it came from.
/// </summary>
public sealed class LayeredConfig
{
    private LayeredConfig(Config config, ConfigSchema schema, IReadOnlyDictionary<string, string> origins)
    {
        Config = config;
        Schema = schema;
        Origins = origins;
    }

    /// <summary>The merged configuration, as Akka reads it.</summary>
    public Config Config { get; }

    public ConfigSchema Schema { get; }

    /// <summary>For each key, the layer that gave it its value.</summary>
    public IReadOnlyDictionary<string, string> Origins { get; }

    public static LayeredConfig Load(ConfigSource defaults, IEnumerable<ConfigSource> layers, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var schema = ConfigSchema.FromDefaults(defaults.Text);
        var origins = new Dictionary<string, string>();
        Config? merged = null;
        foreach (var layer in layers.Prepend(defaults))
        {
            var parsed = Parse(layer, environment);
            foreach (var (path, value) in Leaves(parsed.Root, ""))
            {
                Validate(schema, layer.Origin, path, value);
                origins[path] = layer.Origin;
            }
            merged = merged is null ? parsed : parsed.WithFallback(merged);
        }
        return new LayeredConfig(merged!, schema, origins);
    }

    private static Config Parse(ConfigSource layer, Func<string, string?> environment)
    {
        HoconSyntax.Check(layer.Text, layer.Origin);
        var text = EnvironmentSubstitution.Apply(layer.Text, layer.Origin, environment);
        return text.Trim().Length == 0 ? Config.Empty : ConfigurationFactory.ParseString(text);
    }

    /// <summary>Every leaf (scalar or list) under a HOCON value, with its full path.</summary>
    public static IEnumerable<(string Path, HoconValue Value)> Leaves(HoconValue? value, string prefix)
    {
        if (value is null) yield break;
        if (value.IsObject())
        {
            foreach (var (key, child) in value.GetObject().Items)
                foreach (var leaf in Leaves(child, prefix.Length == 0 ? key : $"{prefix}.{key}"))
                    yield return leaf;
        }
        else
        {
            yield return (prefix, value);
        }
    }

    private static void Validate(ConfigSchema schema, string origin, string path, HoconValue value)
    {
        if (value.IsEmpty)
            throw new InvalidConfigurationException($"Malformed value for '{path}' in {origin}.");
        var root = path.Split('.')[0];
        if (root != ConfigSchema.CheckedRoot)
        {
            if (root == "akka") return;
            throw new InvalidConfigurationException($"Unknown key '{path}' in {origin}: settings live under 'voice-agent' (or 'akka').");
        }
        if (schema.IsOpen(path))
        {
            if (path.EndsWith(".enabled") && !value.IsArray() && value.GetString() is not ("true" or "false" or "on" or "off" or "yes" or "no"))
                throw new InvalidConfigurationException($"Bad value '{value.GetString()}' for '{path}' in {origin}: expected true or false.");
            return;
        }
        if (!schema.TryGet(path, out var spec))
        {
            var hint = schema.Suggest(path) is { } near ? $" (did you mean '{near}'?)" : "";
            throw new InvalidConfigurationException($"Unknown key '{path}' in {origin}{hint}.");
        }
        if (spec.Kind == ValueKind.List)
        {
            if (!value.IsArray())
                throw new InvalidConfigurationException($"Bad value for '{path}' in {origin}: expected a list like [\"a\", \"b\"].");
            return;
        }
        if (value.IsArray())
            throw new InvalidConfigurationException($"Bad value for '{path}' in {origin}: expected a single value, not a list.");
        var text = value.GetString();
        if (ConfigSchema.Mismatch(spec, text) is { } expected)
            throw new InvalidConfigurationException($"Bad value '{text}' for '{path}' in {origin}: {expected}.");
    }
}

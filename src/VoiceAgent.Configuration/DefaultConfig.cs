using System.Reflection;

namespace VoiceAgent.Configuration;

/// <summary>The defaults (HOCON.conf) and the shipped profiles (config/*.conf), embedded in this
/// assembly so the app runs from anywhere with its documented defaults.</summary>
public static class DefaultConfig
{
    public const string DefaultsOrigin = "HOCON.conf";

    public static ConfigSource Defaults => new(DefaultsOrigin, ReadResource(DefaultsOrigin)
        ?? throw new InvalidOperationException("HOCON.conf is missing from the build."));

    public static IReadOnlyList<string> ProfileNames =>
        typeof(DefaultConfig).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("config/") && n.EndsWith(".conf"))
            .Select(n => n["config/".Length..^".conf".Length])
            .Order()
            .ToList();

    /// <summary>A profile: config/NAME.conf in the working folder if present (so users can add
    /// their own), else the shipped one.</summary>
    public static ConfigSource Profile(string name, string? workingFolder = null)
    {
        var relative = $"config/{name}.conf";
        var local = Path.Combine(workingFolder ?? Directory.GetCurrentDirectory(), "config", name + ".conf");
        if (File.Exists(local)) return new ConfigSource(relative, File.ReadAllText(local));
        var text = ReadResource(relative)
            ?? throw new InvalidConfigurationException($"Unknown profile '{name}': no {relative}. Profiles: {string.Join(", ", ProfileNames)}.");
        return new ConfigSource(relative, text);
    }

    public static ConfigSource FromFile(string path)
    {
        if (!File.Exists(path))
            throw new InvalidConfigurationException($"Config file not found: {path}.");
        return new ConfigSource(path, File.ReadAllText(path));
    }

    /// <summary>Everything in order: defaults, profile, file, overrides.</summary>
    public static LayeredConfig Load(string? profile = null, string? file = null, IEnumerable<string>? overrides = null, Func<string, string?>? environment = null)
    {
        var layers = new List<ConfigSource>();
        if (!string.IsNullOrWhiteSpace(profile)) layers.Add(Profile(profile));
        if (!string.IsNullOrWhiteSpace(file)) layers.Add(FromFile(file));
        var list = overrides?.ToList() ?? [];
        if (list.Count > 0) layers.Add(ConfigOverrides.ToSource(list));
        return LayeredConfig.Load(Defaults, layers, environment);
    }

    private static string? ReadResource(string name)
    {
        using var stream = typeof(DefaultConfig).Assembly.GetManifestResourceStream(name);
        if (stream is null) return null;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

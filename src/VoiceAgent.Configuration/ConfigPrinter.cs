using System.Text;

namespace VoiceAgent.Configuration;

/// <summary>Renders the effective configuration, each key with the layer it came from; secrets
/// are masked (a set secret shows as "********", an empty one as "").</summary>
public static class ConfigPrinter
{
    private static readonly string[] SecretWords = ["api-key", "secret", "token", "password"];

    /// <summary>A key is secret when its last segment is, or ends with, a secret word
    /// ("api-key", "transcription-api-key"; not "max-tokens").</summary>
    public static bool IsSecret(string path)
    {
        var name = path[(path.LastIndexOf('.') + 1)..].ToLowerInvariant();
        return SecretWords.Any(word => name == word || name.EndsWith("-" + word));
    }

    public static string Render(LayeredConfig layered, bool includeAkka = false)
    {
        var text = new StringBuilder();
        foreach (var (path, value) in LayeredConfig.Leaves(layered.Config.Root, "").OrderBy(l => l.Path, StringComparer.Ordinal))
        {
            if (!includeAkka && !path.StartsWith(ConfigSchema.CheckedRoot + ".")) continue;
            string shown;
            if (value.IsArray())
                shown = "[" + string.Join(", ", value.GetArray().Select(v => Quote(v.GetString()))) + "]";
            else if (IsSecret(path))
                shown = value.GetString().Length == 0 ? "\"\"" : "\"********\"";
            else
                shown = Quote(value.GetString());
            layered.Origins.TryGetValue(path, out var origin);
            text.Append(path).Append(" = ").Append(shown);
            if (origin is not null) text.Append("   # ").Append(origin);
            text.AppendLine();
        }
        return text.ToString();
    }

    private static string Quote(string value) =>
        value.Length > 0 && value.All(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_') ? value : System.Text.Json.JsonSerializer.Serialize(value);
}

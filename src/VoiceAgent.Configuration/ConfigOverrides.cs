using System.Globalization;
using System.Text;
using System.Text.Json;

namespace VoiceAgent.Configuration;

/// <summary>Turns command-line <c>-D key=value</c> overrides into a HOCON layer. Keys may omit the
/// leading "voice-agent." (so <c>-D tts.voice=en-us</c> works).</summary>
public static class ConfigOverrides
{
    public const string Origin = "-D overrides";

    public static ConfigSource ToSource(IEnumerable<string> overrides)
    {
        var text = new StringBuilder();
        foreach (var item in overrides)
        {
            var equals = item.IndexOf('=');
            if (equals <= 0)
                throw new InvalidConfigurationException($"Bad override '-D {item}': write it as -D key=value.");
            var key = item[..equals].Trim();
            if (!key.StartsWith(ConfigSchema.CheckedRoot + ".") && !key.StartsWith("akka."))
                key = ConfigSchema.CheckedRoot + "." + key;
            text.Append(key).Append(" = ").AppendLine(Literal(item[(equals + 1)..].Trim()));
        }
        return new ConfigSource(Origin, text.ToString());
    }

    /// <summary>Numbers, booleans, durations and lists stay as written; anything else is quoted,
    /// so a value with spaces or punctuation is taken literally.</summary>
    private static string Literal(string value)
    {
        if (value.Length == 0) return "\"\"";
        if (value.StartsWith('[') || (value.StartsWith('"') && value.EndsWith('"') && value.Length > 1)) return value;
        if (ConfigSchema.KindOf(value) is ValueKind.Boolean or ValueKind.Duration) return value;
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) return value;
        return JsonSerializer.Serialize(value);
    }
}

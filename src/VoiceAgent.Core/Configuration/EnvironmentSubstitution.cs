using System.Text.Json;
using System.Text.RegularExpressions;

namespace VoiceAgent.Configuration;

/// <summary>
/// Resolves <c>key = ${?ENV_VAR}</c> and <c>key = ${ENV_VAR}</c> from the environment before
/// parsing (Akka's HOCON parser does not read the environment). As in HOCON, an optional
/// substitution whose variable is unset leaves the key untouched, so a lower layer's value stays.
/// </summary>
public static partial class EnvironmentSubstitution
{
    [GeneratedRegex("""^(?<head>\s*[A-Za-z0-9_.\-"]+\s*[=:]\s*)\$\{(?<optional>\?)?(?<name>[A-Za-z_][A-Za-z0-9_]*)\}\s*(?<comment>(#|//).*)?$""")]
    private static partial Regex WholeValue();

    public static string Apply(string text, string origin, Func<string, string?> environment)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n];
            if (!line.Contains("${")) continue;
            if (line.TrimStart().StartsWith('#') || line.TrimStart().StartsWith("//")) continue;

            var match = WholeValue().Match(line);
            if (!match.Success)
                throw new InvalidConfigurationException($"{origin} line {n + 1}: only whole-value substitutions like 'key = ${{?ENV_VAR}}' are supported.");

            var name = match.Groups["name"].Value;
            var value = environment(name);
            if (value is null)
            {
                if (!match.Groups["optional"].Success)
                    throw new InvalidConfigurationException($"{origin} line {n + 1}: environment variable {name} is not set (use ${{?{name}}} to make it optional).");
                lines[n] = ""; // unset optional: the key keeps the value of the layer below
            }
            else
            {
                lines[n] = match.Groups["head"].Value + JsonSerializer.Serialize(value);
            }
        }
        return string.Join('\n', lines);
    }
}

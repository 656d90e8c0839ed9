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
                throw new InvalidConfigurationException($"{origin} line {n + 1}: {WhyNotSubstituted(line, origin)}");

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

    [GeneratedRegex("""\$\{\??([^}]*)\}?""")]
    private static partial Regex AnySubstitution();

    /// <summary>What is wrong with a line whose substitution is not "key = ${?ENV_VAR}".</summary>
    private static string WhyNotSubstituted(string line, string origin)
    {
        var found = AnySubstitution().Match(line);
        var written = found.Value;
        var name = found.Groups[1].Value;
        if (origin == ConfigOverrides.Origin)
            return $"-D values are taken as written, so '{written}' would not be substituted: give the value itself (your shell expands $VARIABLES).";
        if (name.Contains('.'))
            return $"'{written}' refers to another setting; only environment variables can be substituted: write 'key = ${{?ENV_VAR}}'.";
        if (name.Length == 0 || !char.IsLetter(name[0]) && name[0] != '_')
            return $"'{written}' is not an environment variable name: write 'key = ${{?ENV_VAR}}'.";
        return $"'{written}' must be the whole value: write 'key = ${{?{name}}}' on a line of its own.";
    }
}

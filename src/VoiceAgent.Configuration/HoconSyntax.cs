using System.Text.RegularExpressions;

namespace VoiceAgent.Configuration;

/// <summary>
/// A strict syntax check run before Akka's HOCON parser, which is lenient: it silently stops at a
/// stray brace or turns a typo into an empty value. Checks balanced braces and brackets, closed
/// strings, and that every statement is "key = value", "key : value" or "key { ... }".
/// </summary>
public static partial class HoconSyntax
{
    [GeneratedRegex("""^\s*("[^"]*"|[A-Za-z0-9_.\-]+)(\s*("[^"]*"|[A-Za-z0-9_.\-]+))*\s*(\+?=|:|\{)""")]
    private static partial Regex StatementStart();

    public static void Check(string text, string origin)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var nesting = new Stack<(char Close, int Line)>();
        for (var n = 0; n < lines.Length; n++)
        {
            var line = StripComment(lines[n], origin, n + 1).Trim();
            if (line.Length == 0) continue;

            var insideArray = nesting.Count > 0 && nesting.Peek().Close == ']';
            if (!insideArray && !line.StartsWith('}'))
            {
                var match = StatementStart().Match(line);
                if (!match.Success)
                    throw new InvalidConfigurationException($"{origin} line {n + 1}: expected 'key = value', found '{Shorten(line)}'.");
                var separator = match.Groups[4].Value;
                if (separator != "{" && line[match.Length..].Trim().Length == 0)
                    throw new InvalidConfigurationException($"{origin} line {n + 1}: '{match.Groups[1].Value}' has no value.");
            }
            foreach (var c in WithoutStrings(line))
            {
                switch (c)
                {
                    case '{': nesting.Push(('}', n + 1)); break;
                    case '[': nesting.Push((']', n + 1)); break;
                    case '}' or ']':
                        if (nesting.Count == 0 || nesting.Peek().Close != c)
                            throw new InvalidConfigurationException($"{origin} line {n + 1}: unexpected '{c}'.");
                        nesting.Pop();
                        break;
                }
            }
        }
        if (nesting.Count > 0)
        {
            var (close, line) = nesting.Peek();
            throw new InvalidConfigurationException($"{origin} line {line}: '{(close == '}' ? '{' : '[')}' is never closed.");
        }
    }

    private static string StripComment(string line, string origin, int number)
    {
        var inString = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '"' && (i == 0 || line[i - 1] != '\\')) inString = !inString;
            else if (!inString && (c == '#' || (c == '/' && i + 1 < line.Length && line[i + 1] == '/')))
                return line[..i];
        }
        if (inString)
            throw new InvalidConfigurationException($"{origin} line {number}: a string is not closed with '\"'.");
        return line;
    }

    private static IEnumerable<char> WithoutStrings(string line)
    {
        var inString = false;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '"' && (i == 0 || line[i - 1] != '\\')) inString = !inString;
            else if (!inString) yield return line[i];
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace VoiceAgent.Configuration;

public enum ValueKind
{
    Text,
    Boolean,
    Number,
    Duration,
    List,
}

/// <summary>One known key: its kind (from its default) and, where the defaults file says
/// "one of: a | b", the values it accepts; where it says "range: LOW .. HIGH" (or
/// "integer: LOW .. HIGH" for whole numbers), the bounds its value must keep.</summary>
public sealed record KeySpec(string Path, ValueKind Kind, IReadOnlyList<string> Choices, string Default, ValueRange? Range = null);

/// <summary>Inclusive bounds of a number or duration (durations in seconds); either may be open.</summary>
public sealed record ValueRange(double? Low, double? High, bool Whole, string LowText, string HighText)
{
    /// <summary>Durations without a declared range: never negative, at most a year (beyond
    /// that, the value is a typo and would overflow a timer).</summary>
    public static readonly ValueRange AnyDuration = new(0, 365 * 86400.0, false, "0s", "365d");

    public bool Contains(double value) =>
        double.IsFinite(value) && (Low is null || value >= Low) && (High is null || value <= High) && (!Whole || Math.Floor(value) == value);

    public string Describe(string noun) => (LowText.Length, HighText.Length) switch
    {
        (> 0, > 0) => $"{noun} from {LowText} to {HighText}",
        (> 0, _) => $"{noun} of at least {LowText}",
        (_, > 0) => $"{noun} of at most {HighText}",
        _ => noun,
    };
}

/// <summary>
/// The set of valid keys, read from the documented defaults file itself (HOCON.conf): every key
/// there is known, its default's shape gives its kind, and its comment may list its choices.
/// Sections listed as open (extension blocks) accept any key.
/// </summary>
public sealed partial class ConfigSchema
{
    private readonly Dictionary<string, KeySpec> _keys;

    private ConfigSchema(Dictionary<string, KeySpec> keys) => _keys = keys;

    /// <summary>Blocks whose keys belong to someone else: each extension brings its own settings.</summary>
    public static readonly string[] OpenSections = ["voice-agent.extensions."];

    /// <summary>Keys checked against the schema; the rest (akka.*) are passed through.</summary>
    public const string CheckedRoot = "voice-agent";

    public IReadOnlyDictionary<string, KeySpec> Keys => _keys;

    [GeneratedRegex("""^\s*("?[A-Za-z0-9_.\-]+"?)\s*(=|:|\{)\s*(.*?)\s*$""")]
    private static partial Regex Statement();

    [GeneratedRegex("""one of:\s*(.+)$""")]
    private static partial Regex ChoicesComment();

    [GeneratedRegex("""\b(range|integer):\s*(\S*)\s*\.\.\s*(\S*)\s*$""")]
    private static partial Regex RangeComment();

    [GeneratedRegex("""^-?\d+(\.\d+)?\s*(ns|us|ms|s|m|h|d|nanoseconds|microseconds|milliseconds|seconds|minutes|hours|days)$""")]
    private static partial Regex DurationPattern();

    public static ConfigSchema FromDefaults(string defaultsText)
    {
        var keys = new Dictionary<string, KeySpec>();
        var path = new Stack<string>();
        IReadOnlyList<string> pendingChoices = [];
        Match? pendingRange = null;
        foreach (var raw in defaultsText.Replace("\r\n", "\n").Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('#'))
            {
                var choice = ChoicesComment().Match(line);
                if (choice.Success)
                    pendingChoices = choice.Groups[1].Value.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                var range = RangeComment().Match(line);
                if (range.Success) pendingRange = range;
                continue;
            }
            if (line.Length == 0) continue;
            if (line.StartsWith('}'))
            {
                if (path.Count > 0) path.Pop();
                continue;
            }
            var statement = Statement().Match(line);
            if (!statement.Success) continue;
            var key = statement.Groups[1].Value.Trim('"');
            var full = string.Join('.', path.Reverse().Append(key));
            if (statement.Groups[2].Value == "{")
            {
                path.Push(key);
            }
            else
            {
                var value = statement.Groups[3].Value;
                // A later "key = ${?ENV}" line refines an existing key; keep the first default.
                if (!keys.ContainsKey(full))
                {
                    var kind = KindOf(value);
                    keys[full] = new KeySpec(full, kind, pendingChoices, value, RangeFor(full, kind, pendingRange));
                }
            }
            pendingChoices = [];
            pendingRange = null;
        }
        return new ConfigSchema(keys);
    }

    private static ValueRange? RangeFor(string key, ValueKind kind, Match? comment)
    {
        if (comment is null) return kind == ValueKind.Duration ? ValueRange.AnyDuration : null;
        if (kind is not (ValueKind.Number or ValueKind.Duration))
            throw new InvalidOperationException($"HOCON.conf: '{key}' has a range but is not a number or a duration.");
        double? Bound(string text)
        {
            if (text.Length == 0) return null;
            var bound = kind == ValueKind.Duration ? DurationSeconds(text) : Number(text);
            return bound ?? throw new InvalidOperationException($"HOCON.conf: the range of '{key}' has a bad bound '{text}'.");
        }
        var low = comment.Groups[2].Value;
        var high = comment.Groups[3].Value;
        return new ValueRange(Bound(low), Bound(high), comment.Groups[1].Value == "integer", low, high);
    }

    private static double? Number(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;

    /// <summary>A HOCON duration ("250ms", "2 s", "1h") in seconds; null when it is not one.</summary>
    public static double? DurationSeconds(string text)
    {
        var match = DurationParts().Match(text.Trim());
        if (!match.Success || !double.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount)) return null;
        var unit = match.Groups[2].Value switch
        {
            "ns" or "nanoseconds" => 1e-9,
            "us" or "microseconds" => 1e-6,
            "ms" or "milliseconds" => 1e-3,
            "s" or "seconds" => 1,
            "m" or "minutes" => 60,
            "h" or "hours" => 3600,
            _ => 86400,
        };
        return amount * unit;
    }

    [GeneratedRegex("""^(-?\d+(?:\.\d+)?)\s*(ns|us|ms|s|m|h|d|nanoseconds|microseconds|milliseconds|seconds|minutes|hours|days)$""")]
    private static partial Regex DurationParts();

    public static ValueKind KindOf(string defaultValue)
    {
        var value = defaultValue.Trim();
        if (value is "true" or "false") return ValueKind.Boolean;
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) return ValueKind.Number;
        if (DurationPattern().IsMatch(value)) return ValueKind.Duration;
        if (value.StartsWith('[')) return ValueKind.List;
        return ValueKind.Text;
    }

    public bool IsOpen(string path) => OpenSections.Any(path.StartsWith);

    public bool TryGet(string path, out KeySpec spec) => _keys.TryGetValue(path, out spec!);

    /// <summary>Checks a scalar value's text against the key's kind and choices; returns the
    /// expectation that failed, or null when the value is fine.</summary>
    public static string? Mismatch(KeySpec spec, string value)
    {
        switch (spec.Kind)
        {
            case ValueKind.Boolean when value is not ("true" or "false" or "on" or "off" or "yes" or "no"):
                return "expected true or false";
            case ValueKind.Number when Number(value) is null:
                return "expected a number";
            case ValueKind.Duration when !DurationPattern().IsMatch(value.Trim()):
                return "expected a duration like 250ms or 2s";
        }
        if (spec.Range is { } range)
        {
            var (number, noun) = spec.Kind == ValueKind.Duration
                ? (DurationSeconds(value), "a duration")
                : (Number(value), range.Whole ? "a whole number" : "a number");
            if (number is not { } n || !range.Contains(n)) return "expected " + range.Describe(noun);
        }
        if (spec.Choices.Count > 0 && !spec.Choices.Contains(value))
            return "expected one of: " + string.Join(", ", spec.Choices);
        return null;
    }

    /// <summary>The known key closest to a mistyped one, for "did you mean" hints.</summary>
    public string? Suggest(string path)
    {
        var best = _keys.Keys
            .Select(k => (Key: k, Distance: EditDistance(k, path)))
            .OrderBy(x => x.Distance)
            .FirstOrDefault();
        return best.Key is not null && best.Distance <= Math.Max(3, path.Length / 5) ? best.Key : null;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }
}

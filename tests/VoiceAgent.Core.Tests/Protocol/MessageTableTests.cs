using System.Text.RegularExpressions;
using VoiceAgent.Core.Protocol;
using VoiceAgent.TestSupport;

namespace VoiceAgent.Core.Tests.Protocol;

/// <summary>docs/architecture.md's table of messages is the one place a reader learns who sends
/// what to whom: it must name every message of the protocol, and call a message a fact exactly
/// when the code publishes it (an <see cref="IPipelineEvent"/>).</summary>
public sealed partial class MessageTableTests
{
    /// <summary>Published, but kept out of <see cref="IPipelineEvent"/> (ten a second, not for logs).</summary>
    private static readonly Type[] FactsOutsidePipelineEvents = [typeof(MicrophoneLevel)];

    private static IReadOnlyList<Type> Messages() =>
        typeof(TurnId).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(TurnId).Namespace && t.IsPublic && !t.IsInterface && !t.IsEnum
                && t != typeof(TurnId) && t != typeof(CaptureFormat) && !t.Name.EndsWith("Key", StringComparison.Ordinal))
            .ToList();

    private static Dictionary<string, string> Table()
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "architecture.md"));
        var section = text[text.IndexOf("## Every message", StringComparison.Ordinal)..];
        var kinds = new Dictionary<string, string>();
        foreach (var row in section.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)))
        {
            var cells = row.Split('|', StringSplitOptions.TrimEntries);
            foreach (Match name in MessageName().Matches(cells[1])) kinds[name.Groups[1].Value] = cells[4];
        }
        return kinds;
    }

    [Fact]
    public void Every_message_of_the_protocol_is_in_the_table()
    {
        var table = Table();
        var missing = Messages().Select(t => t.Name).Where(name => !table.ContainsKey(name)).ToList();
        Assert.True(missing.Count == 0, "not in docs/architecture.md: " + string.Join(", ", missing));
    }

    [Fact]
    public void A_message_is_called_a_fact_exactly_when_it_is_published()
    {
        var table = Table();
        var wrong = Messages()
            .Where(t => table.ContainsKey(t.Name))
            .Where(t =>
            {
                var published = typeof(IPipelineEvent).IsAssignableFrom(t) || FactsOutsidePipelineEvents.Contains(t);
                var kind = table[t.Name];
                // A command its receiver publishes once applied is both, and says so.
                return kind.StartsWith("fact", StringComparison.Ordinal) != published && !kind.Contains("then the fact", StringComparison.Ordinal);
            })
            .Select(t => $"{t.Name} ({table[t.Name]})")
            .ToList();
        Assert.True(wrong.Count == 0, "kind differs from the code: " + string.Join(", ", wrong));
    }

    [GeneratedRegex("`([A-Z][A-Za-z]+)`")]
    private static partial Regex MessageName();
}

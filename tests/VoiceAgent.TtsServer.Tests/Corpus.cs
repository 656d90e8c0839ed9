namespace VoiceAgent.TtsServer.Tests;

/// <summary>The markdown answers in corpus/ (see corpus/README.md).</summary>
public static class Corpus
{
    public static IReadOnlyList<(string Name, string Text)> Answers { get; } =
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "corpus"), "*.md")
            .Where(f => !Path.GetFileName(f).Equals("README.md", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select(f => (Path.GetFileName(f), File.ReadAllText(f)))
            .ToList();

    public static TheoryData<string> Names() => new(Answers.Select(a => a.Name));

    public static string Get(string name) => Answers.Single(a => a.Name == name).Text;

    /// <summary>Cuts text into LLM-like tokens of 1 to 6 UTF-16 units; with
    /// <paramref name="splitPairs"/> a surrogate pair may be cut in two, as a naive client does.</summary>
    public static List<string> Tokens(string text, Random random, bool splitPairs)
    {
        var tokens = new List<string>();
        for (var i = 0; i < text.Length;)
        {
            var length = Math.Min(random.Next(1, 7), text.Length - i);
            if (!splitPairs && char.IsHighSurrogate(text[i + length - 1]) && i + length < text.Length) length++;
            tokens.Add(text.Substring(i, length));
            i += length;
        }
        return tokens;
    }

    /// <summary>A JSON text frame written by hand, so a lone surrogate goes out as the escape
    /// "\udXXX" (a JSON serializer would refuse or replace it).</summary>
    public static string TextFrame(string text)
    {
        var json = new System.Text.StringBuilder("{\"text\":\"");
        foreach (var c in text)
        {
            if (c is '"' or '\\') json.Append('\\').Append(c);
            else if (c < 0x20 || char.IsSurrogate(c)) json.Append($"\\u{(int)c:x4}");
            else json.Append(c);
        }
        return json.Append("\"}").ToString();
    }
}

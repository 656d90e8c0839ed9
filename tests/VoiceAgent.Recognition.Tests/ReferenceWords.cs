using VoiceAgent.TestSupport;

namespace VoiceAgent.Recognition.Tests;

/// <summary>jfk.wav's transcript (tests/fixtures/jfk.txt) and how many of its words a hypothesis
/// got, in order (the longest common subsequence of words).</summary>
internal static class ReferenceWords
{
    public static string[] Jfk { get; } = Words(File.ReadAllText(RepoPaths.Fixture("jfk.txt")));

    public static string[] Words(string text) =>
        text.ToLowerInvariant().Split([' ', ',', '.', '!', '?', ';', ':', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);

    public static int Matched(string[] reference, string[] hypothesis)
    {
        var table = new int[reference.Length + 1, hypothesis.Length + 1];
        for (var i = 1; i <= reference.Length; i++)
        for (var j = 1; j <= hypothesis.Length; j++)
            table[i, j] = reference[i - 1] == hypothesis[j - 1] ? table[i - 1, j - 1] + 1 : Math.Max(table[i - 1, j], table[i, j - 1]);
        return table[reference.Length, hypothesis.Length];
    }
}

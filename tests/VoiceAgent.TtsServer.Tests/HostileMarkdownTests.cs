using System.Net.WebSockets;
using VoiceAgent.TtsServer.Text;

namespace VoiceAgent.TtsServer.Tests;

/// <summary>Ordinary LLM markdown, and emoji split across frames, never end a session: every
/// session gets its audio, a final frame and a normal close.</summary>
public sealed class HostileMarkdownTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const string Query = "voice=espeak.en-us&audio_format=linear16&disable_cache=true";

    public static TheoryData<string, string> SessionKillers => new()
    {
        { "link reference definition", "See the docs [1] for more words.\n\n[1]: https://example.com/docs \"Docs\"\n" },
        { "empty fenced code block", "Here is the code.\n```\n```\nThat was it." },
        { "thematic break with stars", "First part.\n***\nSecond part." },
        { "thematic break with dashes", "First part\n---\nSecond part." },
        { "200 quote marks", string.Concat(Enumerable.Repeat("> ", 200)) + "Deeply quoted words." },
        { "100 list bullets", string.Concat(Enumerable.Repeat("- ", 100)) + "Deeply listed words." },
        { "20000 brackets", new string('[', 20000) + " words inside." },
        { "html block", "<div>\n<p>Some html</p>\n</div>\n\nAnd words after it." },
    };

    [Theory]
    [MemberData(nameof(SessionKillers))]
    public async Task Markdown_that_once_killed_the_session_is_spoken(string what, string text)
    {
        await using var client = await TtsTestClient.ConnectAsync(server.Uri, Query);
        await client.HandshakeAsync();
        await client.SendAsync(new { text, flush = true });
        await client.SendAsync(new { text = "" });
        var frames = await client.ReceiveUntilClosedAsync();

        Assert.True(WebSocketCloseStatus.NormalClosure == client.CloseStatus, $"{what}: closed with {client.CloseStatus}");
        Assert.DoesNotContain(frames, f => f.Error is not null);
        Assert.True(TtsTestClient.AudioOf(frames).Length > 4000, $"{what}: no audio");
        Assert.True(frames[^1].IsFinal);
    }

    [Theory]
    [MemberData(nameof(SessionKillers))]
    public void The_cleaner_keeps_the_words_of_markdown_it_cannot_parse(string what, string text)
    {
        var spoken = SpeechText.Clean(text);
        Assert.True(spoken.Contains("words", StringComparison.OrdinalIgnoreCase) || spoken.Contains("part", StringComparison.OrdinalIgnoreCase)
            || spoken.Contains("code", StringComparison.OrdinalIgnoreCase), $"{what}: \"{spoken}\"");
        Assert.DoesNotContain("https://", spoken);
    }

    [Fact]
    public async Task An_emoji_split_across_two_frames_is_joined_not_dropped_or_fatal()
    {
        await using var client = await TtsTestClient.ConnectAsync(server.Uri, Query);
        await client.HandshakeAsync();
        await client.SendRawAsync("{\"text\":\"Smile \\ud83d\"}");   // the high half of 😀
        await client.SendRawAsync("{\"text\":\"\\ude00 please.\"}"); // the low half
        await client.SendRawAsync("{\"text\":\" Stray \\ude00 half.\"}"); // a low half with no partner
        await client.SendAsync(new { text = "" });
        var frames = await client.ReceiveUntilClosedAsync();

        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
        Assert.DoesNotContain(frames, f => f.Error is not null);
        // The joined emoji is recognized as one and removed; nothing half of it reaches the speech.
        Assert.Equal(["Smile please.", "Stray half."], frames.Where(f => f.Text is { Length: > 0 }).Select(f => f.Text));
        Assert.True(TtsTestClient.AudioOf(frames).Length > 4000);
    }

    [Fact]
    public void The_surrogate_joiner_pairs_halves_across_calls_and_drops_orphans()
    {
        var joiner = new SurrogateJoiner();
        Assert.Equal("a", joiner.Join("a\ud83d"));
        Assert.Equal("\ud83d\ude00b", joiner.Join("\ude00b"));
        Assert.Equal("c", joiner.Join("\ude00c"));       // orphan low half
        Assert.Equal("", joiner.Join("\ud83d"));
        Assert.Equal("d", joiner.Join("d"));              // the waiting high half had no partner
        Assert.Equal("\ud83d\ude00", joiner.Join("\ud83d\ude00"));
    }

    [Theory]
    [MemberData(nameof(Corpus.Names), MemberType = typeof(Corpus))]
    public async Task Every_corpus_answer_streamed_token_by_token_is_spoken(string name)
    {
        var random = new Random(name.Length * 7919);
        await using var client = await TtsTestClient.ConnectAsync(server.Uri, Query);
        await client.HandshakeAsync();
        foreach (var token in Corpus.Tokens(Corpus.Get(name), random, splitPairs: true))
            await client.SendRawAsync(Corpus.TextFrame(token));
        await client.SendAsync(new { text = "" });
        var frames = await client.ReceiveUntilClosedAsync();

        Assert.True(WebSocketCloseStatus.NormalClosure == client.CloseStatus, $"{name}: closed with {client.CloseStatus} {client.CloseDescription}");
        Assert.DoesNotContain(frames, f => f.Error is not null);
        Assert.True(TtsTestClient.AudioOf(frames).Length > 16000, $"{name}: too little audio");
        var spoken = string.Join(" ", frames.Where(f => f.Text is { Length: > 0 }).Select(f => f.Text));
        Assert.DoesNotContain("\ufffd", spoken);
        Assert.DoesNotContain("](", spoken);
        Assert.DoesNotContain("```", spoken);
        Assert.True(frames[^1].IsFinal);
    }

    [Theory]
    [MemberData(nameof(Corpus.Names), MemberType = typeof(Corpus))]
    public void Every_corpus_answer_cleans_to_words_without_markup(string name)
    {
        var spoken = SpeechText.Clean(Corpus.Get(name));
        Assert.True(spoken.Count(char.IsLetter) > 50, spoken);
        Assert.DoesNotContain("**", spoken);
        Assert.DoesNotContain("](", spoken);
        Assert.DoesNotContain("[^", spoken);
        Assert.DoesNotContain("| ---", spoken);
    }
}

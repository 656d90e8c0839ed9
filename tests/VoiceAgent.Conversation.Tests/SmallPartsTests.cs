using System.Text.Json.Nodes;
using VoiceAgent.Configuration;
using VoiceAgent.Extensions.Tools;

namespace VoiceAgent.Conversation.Tests;

public class ThinkTagFilterTests
{
    private static string Run(params string[] pieces)
    {
        var filter = new ThinkTagFilter();
        return string.Concat(pieces.Select(filter.Push)) + filter.Flush();
    }

    [Fact]
    public void Reasoning_between_think_tags_is_removed_even_when_tags_are_split_across_pieces()
    {
        Assert.Equal("Hi there.", Run("<thi", "nk>let me think</th", "ink>Hi", " there."));
        Assert.Equal("A B", Run("A <think>x</think>", "B"));
    }

    [Fact]
    public void Text_that_only_looks_like_a_tag_start_is_kept()
    {
        Assert.Equal("1 < 2 and <b", Run("1 < 2", " and <b"));
        Assert.Equal("ends with <th", Run("ends with <th"));
    }
}

public class ChatEndpointTests
{
    private static ConversationSettings Cloud(string url) => new() { Provider = "openai", BaseUrl = url, Model = "m" };

    [Theory]
    [InlineData("https://api.telnyx.com/v2/ai/openai", "TELNYX_API_KEY")]
    [InlineData("https://api.openai.com/v1", "OPENAI_API_KEY")]
    [InlineData("", "OPENAI_API_KEY")]
    public void A_cloud_endpoint_without_a_key_is_one_line_naming_the_variable(string url, string variable)
    {
        var error = Assert.Throws<InvalidConfigurationException>(() => ChatEndpoint.Resolve(Cloud(url), _ => null));
        Assert.Contains($"set {variable} in the environment", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void The_key_can_come_from_the_named_variable()
    {
        var endpoint = ChatEndpoint.Resolve(Cloud("https://example.com/v1") with { ApiKeyEnv = "MY_KEY" }, name => name == "MY_KEY" ? "secret" : null);
        Assert.Equal("secret", endpoint.ApiKey);
        Assert.Equal("m at example.com", endpoint.Describe());
    }

    [Theory]
    [InlineData("http://localhost:11434/v1")]
    [InlineData("http://127.0.0.1:8080/v1")]
    [InlineData("http://192.168.1.20:1234/v1")]
    public void Local_servers_need_no_key(string url)
    {
        var endpoint = ChatEndpoint.Resolve(Cloud(url), _ => null);
        Assert.True(endpoint.IsLocal);
        Assert.Equal(ChatEndpoint.NoKey, endpoint.ApiKey);
    }

    [Fact]
    public void A_missing_model_or_a_bad_url_names_the_key_to_fix()
    {
        Assert.Contains("voice-agent.conversation.model", Assert.Throws<InvalidConfigurationException>(() =>
            ChatEndpoint.Resolve(Cloud("http://localhost:1/v1") with { Model = "" }, _ => null)).Message);
        Assert.Contains("voice-agent.conversation.base-url", Assert.Throws<InvalidConfigurationException>(() =>
            ChatEndpoint.Resolve(Cloud("localhost:1"), _ => null)).Message);
    }

    [Fact]
    public void An_unknown_provider_is_refused()
    {
        var error = Assert.Throws<InvalidConfigurationException>(() => ChatClientFactory.Create(new ConversationSettings { Provider = "magic" }));
        Assert.Contains("auto, local, openai-compatible or offline", error.Message);
    }
}

public class ClockToolTests
{
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static readonly ClockTool Tool = new(new FixedClock(new DateTimeOffset(2026, 12, 31, 23, 30, 0, TimeSpan.Zero)), TimeZoneInfo.Utc);

    [Fact]
    public void Answers_in_the_default_zone_or_the_one_asked_for()
    {
        var (utc, utcError) = Tool.Answer("{}");
        Assert.False(utcError);
        Assert.Equal(("2026-12-31", "23:30", "Thursday"), Fields(utc));

        var (tokyo, _) = Tool.Answer("""{"time_zone":"Asia/Tokyo"}""");
        Assert.Equal(("2027-01-01", "08:30", "Friday"), Fields(tokyo));
        Assert.Equal("+09:00", (string?)JsonNode.Parse(tokyo)!["utc_offset"]);
    }

    [Fact]
    public void A_bad_zone_or_bad_arguments_are_an_error_the_model_can_read()
    {
        var (zone, zoneError) = Tool.Answer("""{"time_zone":"Mars/Olympus"}""");
        Assert.True(zoneError);
        Assert.Contains("unknown time zone 'Mars/Olympus'", zone);
        Assert.True(Tool.Answer("not json").IsError);
        Assert.Contains("extensions.clock.time-zone", Assert.Throws<ArgumentException>(() => ClockTool.ZoneFromSetting("Nowhere/Land", "voice-agent.extensions.clock.time-zone")).Message);
    }

    private static (string?, string?, string?) Fields(string json)
    {
        var node = JsonNode.Parse(json)!;
        return ((string?)node["date"], (string?)node["time"], (string?)node["weekday"]);
    }
}

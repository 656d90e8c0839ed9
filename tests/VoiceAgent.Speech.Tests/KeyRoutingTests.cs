using VoiceAgent.Composition;
using VoiceAgent.Configuration;
using VoiceAgent.Speech.Telnyx;
using VoiceAgent.TestSupport;

namespace VoiceAgent.Speech.Tests;

/// <summary>Keys go only where they belong: the Telnyx key to Telnyx over wss://, a URL's own key
/// to that URL, and no key over unencrypted ws:// to another machine.</summary>
public sealed class KeyRoutingTests
{
    private static TtsSettings Settings(params string[] overrides) =>
        TtsSettings.FromConfig(DefaultConfig.Load(overrides: overrides, environment: _ => null).Config);

    private static async Task<(int Code, string Error)> Say(string url, IDictionary<string, string> environment)
    {
        var request = new SayRequest("Hello there.", TtsUrl: url);
        var config = DefaultConfig.Load(overrides: SayCli.Overrides(request), environment: name => environment.TryGetValue(name, out var v) ? v : null).Config;
        var error = new StringWriter();
        var (code, _) = await SayCli.RunAsync(request, config, null, TextWriter.Null, error);
        return (code, error.ToString());
    }

    [Fact]
    public async Task The_telnyx_key_never_reaches_another_url()
    {
        await using var capture = new UpgradeCaptureServer();
        var (code, error) = await Say(capture.Url, new Dictionary<string, string> { ["TELNYX_API_KEY"] = "TELNYX-SECRET" });

        Assert.Equal(1, code);
        var request = Assert.Single(capture.Requests);
        Assert.DoesNotContain("TELNYX-SECRET", request);
        Assert.DoesNotContain("Authorization", request, StringComparison.OrdinalIgnoreCase);
        // The 401 names the key setting of this URL, not TELNYX_API_KEY.
        Assert.Contains("requires an API key (HTTP 401): set VOICE_AGENT_TTS_API_KEY", error);
        Assert.DoesNotContain("TELNYX_API_KEY", error);
    }

    [Fact]
    public async Task A_url_gets_its_own_key_from_its_own_variable()
    {
        await using var capture = new UpgradeCaptureServer();
        var (code, error) = await Say(capture.Url, new Dictionary<string, string> { ["TELNYX_API_KEY"] = "TELNYX-SECRET", ["VOICE_AGENT_TTS_API_KEY"] = "URL-KEY" });

        Assert.Equal(1, code);
        Assert.Equal("Bearer URL-KEY", Assert.Single(capture.AuthorizationHeaders));
        Assert.DoesNotContain("TELNYX-SECRET", capture.Requests[0]);
        Assert.Contains("check VOICE_AGENT_TTS_API_KEY", error);
        Assert.DoesNotContain("URL-KEY", error);
    }

    [Fact]
    public async Task No_key_travels_over_ws_to_another_machine()
    {
        // 192.0.2.1 is a documentation address: the check happens before any connection.
        var (code, error) = await Say("ws://192.0.2.1:8765/v2/text-to-speech/speech", new Dictionary<string, string> { ["VOICE_AGENT_TTS_API_KEY"] = "URL-KEY" });
        Assert.Equal(2, code);
        Assert.Contains("would travel unencrypted over ws:// to 192.0.2.1", error);
        Assert.DoesNotContain("URL-KEY", error);

        // Without a key, or over wss://, the same server is fine to configure.
        Assert.Equal(TtsEndpointKind.Url, Settings("tts.endpoint=url", "tts.url=ws://192.0.2.1:8765/x").Endpoint);
        Assert.Equal(TtsEndpointKind.Url, Settings("tts.endpoint=url", "tts.url=wss://tts.example.com/x", "tts.url-api-key=k").Endpoint);
    }

    [Fact]
    public async Task A_connection_refuses_to_send_a_key_in_clear_whatever_the_settings_said()
    {
        var options = TelnyxTtsOptions.ForUrl(new Uri("ws://192.0.2.1:8765/x"), new TtsSettings { ConnectTimeout = TimeSpan.FromSeconds(1) }) with { ApiKey = "k" };
        var error = await Assert.ThrowsAsync<SpeechSynthesisException>(() => TelnyxConnection.OpenAsync(options, CancellationToken.None));
        Assert.Contains("would travel unencrypted", error.Message);
    }

    [Theory]
    [InlineData("wss://tts.example.com/v2/text-to-speech/speech")]
    [InlineData("ws://api.telnyx.com/v2/text-to-speech/speech")]
    [InlineData("wss://api.telnyx.com.evil.example/v2/text-to-speech/speech")]
    public void The_telnyx_key_is_only_for_telnyx_over_wss(string url)
    {
        var error = Assert.Throws<InvalidConfigurationException>(() => Settings("tts.endpoint=telnyx", "tts.api-key=k", $"tts.telnyx-url={url}"));
        Assert.Contains("TELNYX_API_KEY goes nowhere else", error.Message);
        Assert.Equal(TtsEndpointKind.Telnyx, Settings("tts.endpoint=telnyx", "tts.api-key=k").EffectiveEndpoint);
    }

    // The decision every connection goes through: over ws:// a key goes only to this machine;
    // wss:// is encrypted, so any host may get its own key.
    [Theory]
    [InlineData("ws://127.0.0.1:8765/x")]
    [InlineData("ws://127.3.4.5:8765/x")]
    [InlineData("ws://localhost:8765/x")]
    [InlineData("ws://LOCALHOST/x")]
    [InlineData("ws://[::1]:8765/x")]
    [InlineData("wss://tts.example.com/x")]
    [InlineData("wss://192.0.2.1:8765/x")]
    public void A_key_may_go_over_ws_to_this_machine_and_over_wss_anywhere(string url) =>
        Assert.Null(EndpointRules.KeyProblem(new Uri(url)));

    [Theory]
    [InlineData("ws://192.0.2.1:8765/x", "192.0.2.1")]
    [InlineData("ws://10.0.0.5/x", "10.0.0.5")]
    [InlineData("ws://[2001:db8::1]/x", "[2001:db8::1]")]
    [InlineData("ws://tts.example.com/x", "tts.example.com")]
    [InlineData("ws://localhost.example.com/x", "localhost.example.com")]
    [InlineData("ws://127.0.0.1.example.com/x", "127.0.0.1.example.com")]
    public void No_key_may_go_over_ws_to_another_machine(string url, string host) =>
        Assert.Equal($"an API key would travel unencrypted over ws:// to {host}: use wss://, or a server on this machine", EndpointRules.KeyProblem(new Uri(url)));

    [Theory]
    [InlineData("wss://api.telnyx.com/v2/text-to-speech/speech", true)]
    [InlineData("wss://API.Telnyx.COM/v2/text-to-speech/speech", true)]
    [InlineData("wss://telnyx.com/x", true)]
    [InlineData("ws://api.telnyx.com/v2/text-to-speech/speech", false)]
    [InlineData("wss://api.telnyx.com.evil.example/x", false)]
    [InlineData("wss://eviltelnyx.com/x", false)]
    [InlineData("wss://127.0.0.1/x", false)]
    public void Only_telnyx_over_wss_is_telnyx(string url, bool telnyx) =>
        Assert.Equal(telnyx, EndpointRules.IsTelnyx(new Uri(url)));

    private static readonly Dictionary<string, string> BothKeys = new() { ["TELNYX_API_KEY"] = "TELNYX-SECRET", ["VOICE_AGENT_TTS_API_KEY"] = "URL-KEY" };

    /// <summary>The key and endpoint the client that the settings build would connect with.</summary>
    private static async Task<(string Key, Uri Endpoint)> Routed(IDictionary<string, string> environment, params string[] overrides)
    {
        var config = DefaultConfig.Load(overrides: overrides, environment: name => environment.TryGetValue(name, out var v) ? v : null).Config;
        await using var synthesizer = SpeechSynthesizerFactory.Create(
            TtsSettings.FromConfig(config), _ => ValueTask.FromResult(new Uri("ws://127.0.0.1:1/embedded")), embeddedApiKey: "EMBEDDED-KEY");
        var options = Assert.IsType<TelnyxSpeechSynthesizer>(synthesizer).Options;
        return (options.ApiKey, await options.Endpoint(CancellationToken.None));
    }

    [Fact]
    public async Task The_telnyx_key_goes_to_telnyx_over_wss()
    {
        var (key, endpoint) = await Routed(BothKeys); // auto: Telnyx, because its key is set
        Assert.Equal("TELNYX-SECRET", key);
        Assert.Equal(new Uri("wss://api.telnyx.com/v2/text-to-speech/speech"), endpoint);
    }

    [Theory]
    [InlineData("wss://tts.example.com/v2/text-to-speech/speech")]
    [InlineData("ws://127.0.0.1:8765/v2/text-to-speech/speech")]
    // Even at Telnyx's address, tts.url uses its own key setting: the Telnyx key has one route.
    [InlineData("wss://api.telnyx.com/v2/text-to-speech/speech")]
    public async Task Tts_url_gets_its_own_key_and_never_the_telnyx_key(string url)
    {
        var (key, endpoint) = await Routed(BothKeys, "tts.endpoint=url", $"tts.url={url}");
        Assert.Equal("URL-KEY", key);
        Assert.Equal(new Uri(url), endpoint);

        var (withoutOwnKey, _) = await Routed(new Dictionary<string, string> { ["TELNYX_API_KEY"] = "TELNYX-SECRET" }, "tts.endpoint=url", $"tts.url={url}");
        Assert.Equal("", withoutOwnKey);
    }

    [Fact]
    public async Task The_embedded_server_gets_only_its_own_key()
    {
        var (key, endpoint) = await Routed(BothKeys, "tts.endpoint=embedded");
        Assert.Equal("EMBEDDED-KEY", key);
        Assert.True(EndpointRules.IsLoopback(endpoint));
    }

    [Theory]
    [InlineData("ws://127.0.0.1:99999/x", "has port '99999', which is not a port number (1 to 65535)")]
    [InlineData("ws://127.0.0.1:abc/x", "has port 'abc', which is not a port number")]
    [InlineData("http://127.0.0.1:8765/x", "uses http://")]
    [InlineData("127.0.0.1:8765", "is not a URL")]
    [InlineData("ws:///x", "has no host name")]
    public void A_bad_url_says_what_is_wrong_with_it(string url, string expected)
    {
        var error = Assert.Throws<InvalidConfigurationException>(() => Settings("tts.endpoint=url", $"tts.url={url}"));
        Assert.Contains(expected, error.Message);
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text;
using Akka.Configuration;
using VoiceAgent.Configuration;
using VoiceAgent.Speech.Telnyx;

namespace VoiceAgent.Speech.Tests;

/// <summary>Keys go only where they belong: the Telnyx key to Telnyx over wss://, a URL's own key
/// to that URL, and no key over unencrypted ws:// to another machine.</summary>
public sealed class KeyRoutingTests
{
    private static TtsSettings Settings(params string[] overrides) =>
        TtsSettings.FromConfig(DefaultConfig.Load(overrides: overrides, environment: _ => null).Config);

    /// <summary>A test double of a TTS server that only records the upgrade request it gets.</summary>
    private sealed class CaptureServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly Task _serving;
        public readonly List<string> Requests = [];

        public CaptureServer()
        {
            _listener.Start();
            _serving = Task.Run(async () =>
            {
                while (true)
                {
                    using var client = await _listener.AcceptTcpClientAsync();
                    var stream = client.GetStream();
                    var buffer = new byte[8192];
                    var request = new StringBuilder();
                    while (!request.ToString().Contains("\r\n\r\n"))
                    {
                        var n = await stream.ReadAsync(buffer);
                        if (n == 0) break;
                        request.Append(Encoding.ASCII.GetString(buffer, 0, n));
                    }
                    lock (Requests) Requests.Add(request.ToString());
                    await stream.WriteAsync("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
                }
            });
        }

        public string Url => $"ws://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/v2/text-to-speech/speech";

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            try { await _serving; } catch (Exception) { /* stopped */ }
        }
    }

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
        await using var capture = new CaptureServer();
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
        await using var capture = new CaptureServer();
        var (code, error) = await Say(capture.Url, new Dictionary<string, string> { ["TELNYX_API_KEY"] = "TELNYX-SECRET", ["VOICE_AGENT_TTS_API_KEY"] = "URL-KEY" });

        Assert.Equal(1, code);
        Assert.Contains("Authorization: Bearer URL-KEY", Assert.Single(capture.Requests));
        Assert.Contains("check VOICE_AGENT_TTS_API_KEY", error);
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
        var options = TelnyxTtsOptions.ForUrl(new Uri("ws://192.0.2.1:8765/x")) with { ApiKey = "k", ConnectTimeout = TimeSpan.FromSeconds(1) };
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

using System.Net;
using System.Net.WebSockets;

namespace VoiceAgent.TtsServer.Tests;

/// <summary>What is refused before the WebSocket upgrade: auth, voice and parameter checks.</summary>
public sealed class AdmissionTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static async Task<HttpStatusCode> UpgradeStatus(Uri server, string query, string? apiKey = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (apiKey is not null) socket.Options.SetRequestHeader("Authorization", "Bearer " + apiKey);
        using var timeout = new CancellationTokenSource(TtsTestClient.Patience);
        try
        {
            await socket.ConnectAsync(new UriBuilder(server) { Query = query }.Uri, timeout.Token);
            return (HttpStatusCode)socket.HttpStatusCode;
        }
        catch (WebSocketException)
        {
            return (HttpStatusCode)socket.HttpStatusCode;
        }
        finally
        {
            socket.Dispose();
        }
    }

    [Theory]
    [InlineData("voice=espeak.en-us", HttpStatusCode.SwitchingProtocols)]
    [InlineData("voice=Telnyx.NaturalHD.astra", HttpStatusCode.SwitchingProtocols)]
    [InlineData("voice=telnyx.Natural.abbie&audio_format=linear16&sample_rate=16000", HttpStatusCode.SwitchingProtocols)]
    [InlineData("", HttpStatusCode.SwitchingProtocols)]
    [InlineData("voice=espeak.gmw.en-GB-x-rp", HttpStatusCode.SwitchingProtocols)]
    [InlineData("voice=astra", HttpStatusCode.BadRequest)]
    [InlineData("voice=Telnyx..astra", HttpStatusCode.BadRequest)]
    [InlineData("voice=espeak.no-such-voice", HttpStatusCode.Forbidden)]
    [InlineData("voice=Acme.Model.voice", HttpStatusCode.Forbidden)]
    [InlineData("voice=Telnyx.Ultra.aura", HttpStatusCode.Forbidden)]
    [InlineData("voice=", HttpStatusCode.Forbidden)]
    [InlineData("audio_format=ogg_vorbis", HttpStatusCode.BadRequest)]
    [InlineData("audio_format=mp3&sample_rate=96000", HttpStatusCode.BadRequest)]
    [InlineData("audio_format=linear16&sample_rate=abc", HttpStatusCode.BadRequest)]
    [InlineData("disable_cache=maybe", HttpStatusCode.BadRequest)]
    [InlineData("inactivity_timeout=0", HttpStatusCode.BadRequest)]
    public async Task Voice_and_parameters_are_checked_before_the_upgrade(string query, HttpStatusCode expected)
    {
        Assert.Equal(expected, await UpgradeStatus(server.Uri, query));
    }

    [Fact]
    public async Task With_a_configured_key_a_missing_or_wrong_bearer_gets_401()
    {
        await using var host = new TtsServerHost(new TtsServerOptions { ApiKey = "secret-key" });
        var uri = await host.StartAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, await UpgradeStatus(uri, "voice=espeak.en-us"));
        Assert.Equal(HttpStatusCode.Unauthorized, await UpgradeStatus(uri, "voice=espeak.en-us", "wrong-key"));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await UpgradeStatus(uri, "voice=espeak.en-us", "secret-key"));
    }

    [Fact]
    public async Task A_refusal_carries_a_json_body_that_names_the_problem()
    {
        using var http = new HttpClient();
        var url = new UriBuilder(server.Uri) { Scheme = "http", Query = "voice=espeak.en-us&audio_format=flac" }.Uri;
        var response = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"errors\"", body);
        Assert.Contains("audio_format 'flac'", body);
    }

    [Fact]
    public async Task Start_returns_a_loopback_ws_uri_on_a_free_port()
    {
        Assert.Equal("ws", server.Uri.Scheme);
        Assert.Equal("127.0.0.1", server.Uri.Host);
        Assert.NotEqual(0, server.Uri.Port);
        Assert.Equal(TtsServerHost.SpeechPath, server.Uri.AbsolutePath);
        await Task.CompletedTask;
    }
}

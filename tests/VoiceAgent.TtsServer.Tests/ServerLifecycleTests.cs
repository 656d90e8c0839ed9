using System.Net;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;

namespace VoiceAgent.TtsServer.Tests;

/// <summary>Where the server listens, who may reach it, what it logs, and how it stops.</summary>
public sealed class ServerLifecycleTests
{
    [Theory]
    [InlineData("locahost")]
    [InlineData("256.1.1.1")]
    [InlineData("127.0.0.1:80")]
    [InlineData("*")]
    [InlineData("1")]
    [InlineData("")]
    public async Task A_host_that_is_not_an_ip_address_is_an_error_not_every_interface(string host)
    {
        await using var server = new TtsServerHost(new TtsServerOptions { Host = host, ApiKey = "k" });
        var error = await Assert.ThrowsAsync<ArgumentException>(() => server.StartAsync());
        Assert.Contains($"tts-server.host '{host}' is not an IP address", error.Message);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("::1")]
    [InlineData("[::1]")]
    public void Loopback_addresses_parse(string host) =>
        Assert.True(IPAddress.IsLoopback(ListenAddress.Parse(host)));

    [Fact]
    public async Task Every_interface_without_a_key_is_refused_unless_allowed_and_then_warned_about()
    {
        await using (var refused = new TtsServerHost(new TtsServerOptions { Host = "0.0.0.0" }))
        {
            var error = await Assert.ThrowsAsync<ArgumentException>(() => refused.StartAsync());
            Assert.Contains("no API key is set", error.Message);
            Assert.Contains("--allow-remote-without-key", error.Message);
        }
        await using (var allowed = new TtsServerHost(new TtsServerOptions { Host = "0.0.0.0", AllowRemoteWithoutKey = true }))
        {
            await allowed.StartAsync();
            Assert.StartsWith("warning: serving every network interface", allowed.ExposureWarning);
        }
        await using (var keyed = new TtsServerHost(new TtsServerOptions { Host = "0.0.0.0", ApiKey = "k" }))
        {
            await keyed.StartAsync();
            Assert.Null(keyed.ExposureWarning);
        }
    }

    [Fact]
    public async Task An_address_that_is_not_on_this_machine_is_a_clear_error()
    {
        await using var server = new TtsServerHost(new TtsServerOptions { Host = "192.0.2.1", Port = 0, ApiKey = "k" });
        var error = await Assert.ThrowsAsync<ArgumentException>(() => server.StartAsync());
        Assert.Contains("192.0.2.1 is not an address of this machine", error.Message);
    }

    [Fact]
    public async Task A_port_in_use_is_a_clear_error()
    {
        await using var first = new TtsServerHost(new TtsServerOptions());
        var port = (await first.StartAsync()).Port;
        await using var second = new TtsServerHost(new TtsServerOptions { Port = port });
        var error = await Assert.ThrowsAsync<IOException>(() => second.StartAsync());
        Assert.Contains("already in use", error.Message);
    }

    [Fact]
    public async Task Stopping_the_server_closes_open_sessions_with_1001()
    {
        var server = new TtsServerHost(new TtsServerOptions());
        var uri = await server.StartAsync();
        await using var client = await TtsTestClient.ConnectAsync(uri, "voice=espeak.en-us&audio_format=linear16");
        await client.HandshakeAsync();
        var receiving = client.ReceiveUntilClosedAsync();
        await server.DisposeAsync();
        await receiving;
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, client.CloseStatus);
        Assert.Equal("server stopping", client.CloseDescription);
    }

    [Fact]
    public async Task Sessions_errors_and_refusals_are_logged_without_text_or_keys()
    {
        const string key = "KEY-that-must-not-be-logged";
        const string secretWord = "Xylophonist";
        await using var own = await OwnServer.StartAsync(new TtsServerOptions { ApiKey = key });

        await using (var client = await TtsTestClient.ConnectAsync(own.Uri, "voice=espeak.en-us&audio_format=linear16", key))
        {
            await client.HandshakeAsync();
            await client.SendAsync(new { text = $"The {secretWord} plays." });
            await client.SendAsync(new { text = "" });
            await client.ReceiveUntilClosedAsync();
        }
        await using (var bad = await TtsTestClient.ConnectAsync(own.Uri, "voice=espeak.en-us", key))
        {
            await bad.SendRawAsync("not json " + secretWord);
            await bad.ReceiveUntilClosedAsync();
        }
        var refused = new ClientWebSocket();
        refused.Options.SetRequestHeader("Authorization", "Bearer wrong-" + key);
        await Assert.ThrowsAsync<WebSocketException>(() => refused.ConnectAsync(own.Uri, CancellationToken.None));

        Assert.Matches(@"TTS session \d+ opened from 127\.0\.0\.1", await own.Log.WaitForAsync("opened"));
        Assert.Contains("end of input", await own.Log.WaitForAsync("closed: end of input"));
        Assert.Contains("Invalid message", await own.Log.WaitForAsync("Invalid message"));
        await own.Log.WaitForAsync("HTTP 401");
        Assert.DoesNotContain(own.Log.Texts, t => t.Contains(secretWord) || t.Contains(key));
        Assert.DoesNotContain(own.Log.Lines, l => l.Level >= LogLevel.Error);
    }
}

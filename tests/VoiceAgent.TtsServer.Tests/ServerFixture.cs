namespace VoiceAgent.TtsServer.Tests;

/// <summary>One running server for a test class (no API key, default settings).</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public TtsServerHost Host { get; } = new(new TtsServerOptions());

    public Uri Uri { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Uri = await Host.StartAsync();

    public ValueTask DisposeAsync() => Host.DisposeAsync();

    /// <summary>Waits (bounded) until the server has no session left: a condition, not a timing.</summary>
    public Task WaitForNoSessionsAsync() => WaitForNoSessionsAsync(Host);

    public static async Task WaitForNoSessionsAsync(TtsServerHost host)
    {
        var deadline = DateTime.UtcNow + TtsTestClient.Patience;
        while (host.ActiveSessions > 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Equal(0, host.ActiveSessions);
    }
}

/// <summary>A server of its own for a test that needs other settings, and its log.</summary>
public sealed class OwnServer : IAsyncDisposable
{
    private OwnServer(TtsServerHost host, Uri uri, LogCapture log)
    {
        Host = host;
        Uri = uri;
        Log = log;
    }

    public TtsServerHost Host { get; }
    public Uri Uri { get; }
    public LogCapture Log { get; }

    public static async Task<OwnServer> StartAsync(TtsServerOptions options)
    {
        var log = new LogCapture();
        var host = new TtsServerHost(options, log);
        return new OwnServer(host, await host.StartAsync(), log);
    }

    /// <summary>A normal session still gets its sentence spoken.</summary>
    public async Task AssertServesAsync(string query = "voice=espeak.en-us&audio_format=linear16&disable_cache=true")
    {
        await using var client = await TtsTestClient.ConnectAsync(Uri, query);
        await client.HandshakeAsync();
        await client.SendAsync(new { text = "Still serving." });
        await client.SendAsync(new { text = "" });
        var frames = await client.ReceiveUntilClosedAsync();
        Assert.Contains(frames, f => f.Text == "Still serving.");
        Assert.True(TtsTestClient.AudioOf(frames).Length > 4000);
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, client.CloseStatus);
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}

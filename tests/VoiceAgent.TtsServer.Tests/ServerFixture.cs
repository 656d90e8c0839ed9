namespace VoiceAgent.TtsServer.Tests;

/// <summary>One running server for a test class (no API key, default settings).</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public TtsServerHost Host { get; } = new(new TtsServerOptions());

    public Uri Uri { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Uri = await Host.StartAsync();

    public ValueTask DisposeAsync() => Host.DisposeAsync();

    /// <summary>Waits (bounded) until the server has no session left: a condition, not a timing.</summary>
    public async Task WaitForNoSessionsAsync()
    {
        var deadline = DateTime.UtcNow + TtsTestClient.Patience;
        while (Host.ActiveSessions > 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Equal(0, Host.ActiveSessions);
    }
}

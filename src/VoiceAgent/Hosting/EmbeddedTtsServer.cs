using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using VoiceAgent.TtsServer;

namespace VoiceAgent.Hosting;

/// <summary>
/// Starts the local Telnyx-compatible TTS server on a free loopback port when the TTS endpoint is
/// "embedded" (the default without TELNYX_API_KEY), so the TtsActor speaks to it over a real
/// WebSocket. Registered before the actor system, so the server is up when the first turn opens a
/// socket. If it cannot start (espeak-ng missing), the reason is shown once and replies stay text.
/// </summary>
public sealed class EmbeddedTtsServer(TtsServerOptions options, bool needed, ConsoleIo io, ILoggerFactory? logging = null) : IHostedService, IAsyncDisposable
{
    private TtsServerHost? _server;

    /// <summary>The WebSocket URL, or null when the server is not running.</summary>
    public Uri? Url => _server?.SpeechUri;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!needed) return;
        var server = new TtsServerHost(options.ForEmbedded(), logging);
        try
        {
            await server.StartAsync(cancellationToken);
            _server = server;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await server.DisposeAsync();
            io.Output.MarkupLine($"[yellow]● tts: the embedded TTS server could not start: {Markup.Escape(e.Message)}[/]");
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        var server = Interlocked.Exchange(ref _server, null);
        if (server is not null) await server.DisposeAsync();
    }
}

using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace VoiceAgent.Pipeline.Benchmarks;

/// <summary>
/// A loopback TTS WebSocket server that synthesizes nothing and keeps time: it stamps the
/// arrival of each session's first text frame, and once the client has ended its text it sends
/// one audio frame (stamping the moment it is sent) and then the final frame. Speaks just
/// enough of the TTS protocol for the assistant's client: handshake, text, flush, end of
/// sequence. Stamps are <see cref="Stopwatch.GetTimestamp"/> ticks.
/// </summary>
internal sealed class TimingTtsServer : IAsyncDisposable
{
    /// <summary>The audio frame: 20 ms of linear16 at 24 kHz, not silent.</summary>
    public const int SampleRate = 24_000;
    private static readonly string AudioFrame = JsonSerializer.Serialize(new
    {
        audio = Convert.ToBase64String(Enumerable.Repeat(new byte[] { 0xE8, 0x03 }, SampleRate / 50).SelectMany(b => b).ToArray()),
    });

    // Quiet between the end of the text and the audio, so the two measured paths do not overlap.
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(20);

    private readonly WebApplication _app;
    private int _idleSessions;

    private TimingTtsServer(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public Channel<long> FirstTextReceived { get; } = Channel.CreateUnbounded<long>();

    public Channel<long> AudioSent { get; } = Channel.CreateUnbounded<long>();

    /// <summary>Sessions handshaken and waiting for a turn (the client's pre-warmed socket).</summary>
    public int IdleSessions => Volatile.Read(ref _idleSessions);

    public static async Task<TimingTtsServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new TimingTtsServer(app);
        app.UseWebSockets();
        app.Map("/speech", server.ServeAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(address.Replace("http://", "ws://") + "/speech");
        return server;
    }

    private async Task ServeAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[16 * 1024];
        var handshaken = false;
        var textSeen = false;
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(count), context.RequestAborted);
                    count += result.Count;
                } while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
                var at = Stopwatch.GetTimestamp();
                if (result.MessageType == WebSocketMessageType.Close) break;
                using var frame = JsonDocument.Parse(buffer.AsMemory(0, count));
                var text = frame.RootElement.TryGetProperty("text", out var t) ? t.GetString() : null;
                if (!handshaken)
                {
                    handshaken = true;
                    Interlocked.Increment(ref _idleSessions);
                }
                else if (!textSeen && !string.IsNullOrWhiteSpace(text))
                {
                    textSeen = true;
                    Interlocked.Decrement(ref _idleSessions);
                    FirstTextReceived.Writer.TryWrite(at);
                }
                else if (text == "")
                {
                    await Task.Delay(Settle);
                    AudioSent.Writer.TryWrite(Stopwatch.GetTimestamp());
                    await SendAsync(socket, AudioFrame);
                    await Task.Delay(Settle);
                    await SendAsync(socket, """{"isFinal":true}""");
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client closed its socket abruptly: the session is over.
        }
        if (handshaken && !textSeen) Interlocked.Decrement(ref _idleSessions);
    }

    private static Task SendAsync(WebSocket socket, string json) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        using var quick = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await _app.StopAsync(quick.Token);
        await _app.DisposeAsync();
    }
}

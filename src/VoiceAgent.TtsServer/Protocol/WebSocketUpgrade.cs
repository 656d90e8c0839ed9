using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace VoiceAgent.TtsServer.Protocol;

/// <summary>
/// Accepts the WebSocket upgrade (RFC 6455 §4.2.2) itself rather than through ASP.NET Core's
/// middleware, for one reason: the transport under the socket is a <see cref="GracefulStream"/>.
/// When the WebSocket layer fails a connection on its own (a text frame that is not UTF-8: it
/// sends close 1007 and aborts at once), the transport is then not torn down under the close
/// frame, so the client receives the close instead of a reset.
/// </summary>
internal static class WebSocketUpgrade
{
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    public static bool IsRequest(HttpRequest request) =>
        HttpMethods.IsGet(request.Method)
        && request.Headers.Upgrade.ToString().Equals("websocket", StringComparison.OrdinalIgnoreCase)
        && request.Headers.Connection.ToString().Contains("upgrade", StringComparison.OrdinalIgnoreCase)
        && request.Headers.SecWebSocketVersion.ToString() == "13"
        && IsValidKey(request.Headers.SecWebSocketKey.ToString());

    private static bool IsValidKey(string key)
    {
        Span<byte> decoded = stackalloc byte[24];
        return Convert.TryFromBase64String(key, decoded, out var length) && length == 16;
    }

    /// <summary>Switches protocols and returns the socket, and the transport to await before the
    /// request ends.</summary>
    public static async Task<(WebSocket Socket, GracefulStream Transport)> AcceptAsync(HttpContext context, TimeSpan keepAlive)
    {
        var key = context.Request.Headers.SecWebSocketKey.ToString();
        var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));
        context.Response.Headers.Connection = "Upgrade";
        context.Response.Headers.Upgrade = "websocket";
        context.Response.Headers.SecWebSocketAccept = accept;
        var upgrade = context.Features.Get<IHttpUpgradeFeature>()
            ?? throw new InvalidOperationException("This server cannot upgrade connections.");
        var transport = new GracefulStream(await upgrade.UpgradeAsync());
        var socket = WebSocket.CreateFromStream(transport, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = keepAlive });
        return (socket, transport);
    }
}

/// <summary>
/// A connection's stream that, when disposed, first lets what was written reach the client:
/// it flushes, then keeps the connection for a short grace period before closing it.
/// </summary>
internal sealed class GracefulStream(Stream inner) : Stream
{
    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(500);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;

    /// <summary>Completes once the underlying connection has been closed.</summary>
    public Task Closed => _closed.Task;

    public override bool CanRead => inner.CanRead;
    public override bool CanSeek => false;
    public override bool CanWrite => inner.CanWrite;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);
    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0) _ = CloseGracefullyAsync();
        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>Closes the connection once it is certain nothing is left in its send path.</summary>
    public void CloseNow()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) _ = CloseGracefullyAsync(TimeSpan.Zero);
    }

    private async Task CloseGracefullyAsync(TimeSpan? grace = null)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await inner.FlushAsync(timeout.Token);
            await Task.Delay(grace ?? Grace);
        }
        catch (Exception)
        {
            // The connection is already gone.
        }
        finally
        {
            await inner.DisposeAsync();
            _closed.TrySetResult();
        }
    }
}

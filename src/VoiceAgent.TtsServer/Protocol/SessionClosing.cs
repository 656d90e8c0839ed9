using System.Net.WebSockets;
using Microsoft.Extensions.Logging;

namespace VoiceAgent.TtsServer.Protocol;

/// <summary>
/// How a session ends: a refused client frame, a failure of ours, or a stopping server each get
/// their error frame or close and a bounded wait for the client's answer; the reason is kept for
/// the session's closing log line.
/// </summary>
internal sealed class SessionClosing(WebSocket socket, SessionOutput output, Func<Task> dropWork, ILogger log, int session)
{
    /// <summary>How long a stopping server waits for a client to answer its 1001 close.</summary>
    private static readonly TimeSpan GoingAwayTimeout = TimeSpan.FromSeconds(2);

    private const string ClientClosed = "client closed";

    private readonly CancellationTokenSource _ended = new();

    /// <summary>Cancelled once the session is over: everything it started stops.</summary>
    public CancellationToken Ended => _ended.Token;

    public string Reason { get; set; } = ClientClosed;

    public Task EndAsync() => _ended.CancelAsync();

    /// <summary>The connection broke under us; the first cause found is the one kept.</summary>
    public void ConnectionEnded(Exception e)
    {
        if (Reason != ClientClosed) return;
        Reason = e switch
        {
            WebSocketException { WebSocketErrorCode: WebSocketError.ConnectionClosedPrematurely } => "the client went away without closing",
            WebSocketException { WebSocketErrorCode: WebSocketError.Faulted } => "the WebSocket layer failed the connection (a frame it refused, e.g. text that is not UTF-8: close 1007)",
            _ => $"connection ended ({e.Message})",
        };
    }

    /// <summary>The server is stopping: drop the work, close with 1001 and give the client a
    /// moment to answer before the socket is aborted.</summary>
    public async Task GoAwayAsync()
    {
        try
        {
            Reason = "server stopping";
            await dropWork();
            using var timeout = new CancellationTokenSource(GoingAwayTimeout);
            await output.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "server stopping", timeout.Token);
            await Task.Delay(GoingAwayTimeout, Ended);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException)
        {
        }
        if (!_ended.IsCancellationRequested) socket.Abort();
    }

    /// <summary>A client error: one error frame, a close, and the reader waits for the client's
    /// close reply.</summary>
    public async Task RefuseAsync(string message, WebSocketCloseStatus status)
    {
        Reason = $"{message} (close {(int)status})";
        log.LogInformation("TTS session {Session}: {Error}", session, Reason);
        await dropWork();
        using var timeout = new CancellationTokenSource(SessionOutput.CloseHandshakeTimeout);
        await output.FailAsync(message, status, timeout.Token);
        await output.AwaitCloseReplyAsync(Ended);
    }

    /// <summary>A failure of ours (from the pipeline or a fault): error frame and close, then
    /// the socket is given up if the client does not answer the close.</summary>
    public async Task FailAsync(string message)
    {
        try
        {
            await dropWork();
            using var timeout = new CancellationTokenSource(SessionOutput.CloseHandshakeTimeout);
            await output.FailAsync(message, WebSocketCloseStatus.InternalServerError, timeout.Token);
        }
        catch (Exception failed) when (failed is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException or ClientNotReadingException)
        {
            // The socket is gone as well.
        }
        _ = Task.Delay(SessionOutput.CloseHandshakeTimeout).ContinueWith(_ => _ended.Cancel(), TaskScheduler.Default);
    }
}

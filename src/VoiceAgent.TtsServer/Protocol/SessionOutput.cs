using System.Net.WebSockets;
using VoiceAgent.Telnyx;

namespace VoiceAgent.TtsServer.Protocol;

/// <summary>A client that did not take a frame within the send timeout: it is not reading.</summary>
internal sealed class ClientNotReadingException(TimeSpan timeout)
    : Exception($"the client took no frame for {timeout.TotalSeconds:0.#} s (not reading)");

/// <summary>
/// The sending half of a session's socket. One frame at a time; every frame carries the
/// generation of the work it belongs to, and a force frame bumps the generation under the same
/// lock, so once the force has been read no frame of the old work can go out. A client that does
/// not take a frame within the send timeout is not reading: the send fails with
/// <see cref="ClientNotReadingException"/> and the socket is aborted.
/// </summary>
internal sealed class SessionOutput(WebSocket socket, TimeSpan sendTimeout)
{
    /// <summary>How long a client may take to answer our close frame (generous: a busy client
    /// with many sockets may be slow to read it; one that vanished fails sooner anyway).</summary>
    public static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private int _generation;
    private volatile bool _closing;
    private long _lastActivity = Environment.TickCount64;

    /// <summary>The work whose frames may go out now.</summary>
    public int Generation => Volatile.Read(ref _generation);

    /// <summary>A close has been started (by us); nothing more is sent.</summary>
    public bool IsClosing => _closing;

    /// <summary>The last frame sent was a final frame.</summary>
    public bool LastSentFinal { get; private set; }

    /// <summary>Set when a send timed out: the client is not reading.</summary>
    public ClientNotReadingException? NotReading { get; private set; }

    /// <summary>When the socket last carried a frame either way (Environment.TickCount64).</summary>
    public long LastActivity => Interlocked.Read(ref _lastActivity);

    public void NoteActivity() => Interlocked.Exchange(ref _lastActivity, Environment.TickCount64);

    /// <summary>Starts new work: frames of the generation before are dropped from now on.
    /// <paramref name="whileHeld"/> runs under the send lock (to clear what the old work left).</summary>
    public async Task NewGenerationAsync(Action whileHeld, CancellationToken cancellation)
    {
        await _sendLock.WaitAsync(cancellation);
        try
        {
            _generation++;
            whileHeld();
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends one frame unless its work was interrupted or the socket is closing.</summary>
    public async Task<bool> SendAsync(int generation, ServerFrame frame, CancellationToken cancellation)
    {
        await _sendLock.WaitAsync(cancellation);
        try
        {
            if (generation != _generation || _closing) return false;
            await SendWithTimeoutAsync(frame.ToJson(), cancellation);
            LastSentFinal = frame.IsFinal;
            NoteActivity();
            return true;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends an error frame (if the socket still takes one) and starts the close.</summary>
    public async Task FailAsync(string message, WebSocketCloseStatus status, CancellationToken cancellation)
    {
        await _sendLock.WaitAsync(cancellation);
        try
        {
            if (!_closing && socket.State == WebSocketState.Open)
                await SendWithTimeoutAsync(ServerFrame.Failure(message).ToJson(), cancellation);
        }
        finally
        {
            _sendLock.Release();
        }
        await CloseAsync(status, "", cancellation);
    }

    /// <summary>Starts the close handshake (once); see <see cref="AwaitCloseReplyAsync"/>.</summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken cancellation)
    {
        await _sendLock.WaitAsync(cancellation);
        try
        {
            if (_closing) return;
            _closing = true;
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                timeout.CancelAfter(sendTimeout);
                await socket.CloseOutputAsync(status, reason, timeout.Token);
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>After our close frame: waits briefly for the client's, discarding anything that
    /// arrives first (only the reader may call this), and gives up on the socket if none comes.</summary>
    public async Task AwaitCloseReplyAsync(CancellationToken cancellation)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(CloseHandshakeTimeout);
        var scratch = new byte[4096];
        try
        {
            while (socket.State == WebSocketState.CloseSent)
            {
                var result = await socket.ReceiveAsync(scratch.AsMemory(), timeout.Token);
                if (result.MessageType == WebSocketMessageType.Close) break;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException)
        {
            socket.Abort();
        }
    }

    private async Task SendWithTimeoutAsync(byte[] frame, CancellationToken cancellation)
    {
        // The timer is its own source: a cancelled write aborts the socket, the reader sees that at
        // once and ends the session, which may cancel `cancellation` before this catch runs; the
        // timer still tells that the client had stopped reading.
        using var timer = new CancellationTokenSource(sendTimeout);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellation, timer.Token);
        try
        {
            await socket.SendAsync(frame, WebSocketMessageType.Text, true, either.Token);
        }
        catch (Exception e) when (timer.IsCancellationRequested
                                   && e is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            _closing = true;
            socket.Abort();
            throw NotReading = new ClientNotReadingException(sendTimeout);
        }
    }
}

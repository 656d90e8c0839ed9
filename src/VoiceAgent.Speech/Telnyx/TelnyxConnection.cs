using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Threading.Channels;
using VoiceAgent.Telnyx;

namespace VoiceAgent.Speech.Telnyx;

/// <summary>
/// One TTS WebSocket, connected and handshaken. Sends go through a queue drained by one task
/// (a WebSocket allows one send at a time); received frames are parsed as they arrive into
/// <see cref="Frames"/>, which completes when the socket ends, so a socket that the server
/// closes while idle (a pre-warmed one) is noticed.
/// </summary>
internal sealed class TelnyxConnection : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Channel<byte[]> _outgoing = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<ServerFrame> _frames = Channel.CreateUnbounded<ServerFrame>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _life = new();
    private readonly Task _sender;
    private readonly Task _receiver;
    private int _disposed;

    private TelnyxConnection(ClientWebSocket socket)
    {
        _socket = socket;
        OpenedAt = Stopwatch.GetTimestamp();
        _sender = Task.Run(SendLoop);
        _receiver = Task.Run(ReceiveLoop);
    }

    /// <summary>Parsed server frames; completes when the socket closes or fails.</summary>
    public ChannelReader<ServerFrame> Frames => _frames.Reader;

    /// <summary>Why the socket ended (set once <see cref="Frames"/> completes).</summary>
    public string? EndReason { get; private set; }

    /// <summary>The server closed normally (1000).</summary>
    public bool ClosedNormally { get; private set; }

    public long OpenedAt { get; }

    public bool IsAlive => !_frames.Reader.Completion.IsCompleted && _socket.State == WebSocketState.Open;

    public TimeSpan Age => Stopwatch.GetElapsedTime(OpenedAt);

    /// <summary>Connects, authenticates and sends the handshake frame.</summary>
    public static async Task<TelnyxConnection> OpenAsync(TelnyxTtsOptions options, CancellationToken ct)
    {
        var endpoint = await options.Endpoint(ct);
        var uri = options.BuildUri(endpoint);
        // The last guard: whatever the configuration said, a key never crosses the network in clear.
        if (!string.IsNullOrEmpty(options.ApiKey) && EndpointRules.KeyProblem(uri) is { } keyProblem)
            throw new SpeechSynthesisException($"not connecting to {uri.Scheme}://{uri.Authority}: {keyProblem}");
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(15);
        if (!string.IsNullOrEmpty(options.ApiKey))
            socket.Options.SetRequestHeader("Authorization", "Bearer " + options.ApiKey);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Settings.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(uri, timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException or OperationCanceledException)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            if (e is OperationCanceledException && ct.IsCancellationRequested) throw;
            throw new SpeechSynthesisException(DescribeConnectFailure(status, e, endpoint, options), e);
        }

        var connection = new TelnyxConnection(socket);
        connection.Send(ClientFrame.Handshake(options.Settings.VoiceSpeed));
        return connection;
    }

    /// <summary>One line per failure the user can act on. Never includes the key.</summary>
    internal static string DescribeConnectFailure(HttpStatusCode status, Exception e, Uri endpoint, TelnyxTtsOptions options)
    {
        var server = $"{endpoint.Scheme}://{endpoint.Authority}";
        return (int)status switch
        {
            401 => string.IsNullOrEmpty(options.ApiKey)
                ? $"the TTS server at {server} requires an API key (HTTP 401): set {options.ApiKeySource}"
                : $"the API key was rejected by {server} (HTTP 401): check {options.ApiKeySource}",
            403 => $"unknown voice {options.Settings.Voice} (HTTP 403 from {server}): set voice-agent.tts.voice to a voice your account can use",
            400 => $"the TTS server at {server} refused the request (HTTP 400): check voice {options.Settings.Voice}, audio-format {options.Settings.AudioFormat} and sample-rate {options.Settings.SampleRate}",
            404 => $"no TTS WebSocket at {endpoint} (HTTP 404): check the TTS URL",
            > 0 => $"the TTS server at {server} refused the connection (HTTP {(int)status})",
            _ when e is OperationCanceledException => $"the TTS server at {server} did not answer within {options.Settings.ConnectTimeout.TotalSeconds:0.#} s",
            _ => $"cannot reach the TTS server at {server}: {Innermost(e).Message}",
        };
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }

    /// <summary>Queues a frame; frames go out in the order queued.</summary>
    public void Send(ClientFrame frame) => _outgoing.Writer.TryWrite(frame.ToJson());

    private async Task SendLoop()
    {
        try
        {
            await foreach (var frame in _outgoing.Reader.ReadAllAsync(_life.Token))
                await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, _life.Token);
        }
        catch (Exception)
        {
            // A failed send means the socket is gone; the receiver reports why.
        }
    }

    private async Task ReceiveLoop()
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        try
        {
            while (true)
            {
                buffer.ResetWrittenCount();
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.GetMemory(8192), _life.Token);
                    buffer.Advance(result.Count);
                } while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    ClosedNormally = _socket.CloseStatus == WebSocketCloseStatus.NormalClosure;
                    EndReason = $"the server closed the socket ({(int?)_socket.CloseStatus}{(string.IsNullOrEmpty(_socket.CloseStatusDescription) ? "" : " " + _socket.CloseStatusDescription)})";
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        using var closeTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                        try { await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, closeTimeout.Token); } catch { }
                    }
                    break;
                }

                var frame = result.MessageType == WebSocketMessageType.Binary
                    ? new ServerFrame(buffer.WrittenSpan.ToArray(), null, false) // lenient: raw audio
                    : ServerFrame.Parse(buffer.WrittenSpan);
                if (frame is not null) _frames.Writer.TryWrite(frame);
            }
        }
        catch (OperationCanceledException) when (_life.IsCancellationRequested)
        {
            EndReason ??= "closed by the client";
        }
        catch (Exception e)
        {
            EndReason = $"the connection dropped: {e.Message}";
        }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }

    /// <summary>Sends what is queued, closes politely (briefly), then tears the socket down.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _outgoing.Writer.TryComplete();
        await Task.WhenAny(_sender, Task.Delay(500));
        if (_socket.State == WebSocketState.Open)
        {
            using var closeTimeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            try { await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, closeTimeout.Token); } catch { }
        }
        await _life.CancelAsync();
        _socket.Abort();
        try { await Task.WhenAll(_sender, _receiver); } catch { }
        _socket.Dispose();
        _life.Dispose();
    }
}

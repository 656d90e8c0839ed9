using System.Diagnostics;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using VoiceAgent.Telnyx;
using VoiceAgent.TtsServer.Text;

namespace VoiceAgent.TtsServer.Protocol;

/// <summary>
/// One client socket, coordinated: the reader (<see cref="RunAsync"/>) takes client frames
/// (<see cref="ClientFrameReceiver"/>) strictly in order and turns their text into segments
/// (<see cref="TextIntake"/>) queued for the pipeline (<see cref="SessionWorkQueue"/>); the
/// pipeline (<see cref="SessionPipeline"/>) speaks them one at a time and sends their frames
/// through <see cref="SessionOutput"/>. Nothing that goes wrong inside a session escapes it:
/// the client gets an error frame and a close, and the server log says what happened.
/// </summary>
internal sealed class TtsSession
{
    private readonly WebSocket _socket;
    private readonly SessionSettings _settings;
    private readonly TtsServerOptions _options;
    private readonly SessionOutput _output;
    private readonly ClientFrameReceiver _receiver;
    private readonly TextIntake _text;
    private readonly SessionWorkQueue _queue;
    private readonly ClientQuiet _quiet = new();
    private readonly SessionPipeline _pipeline;
    private readonly SessionClosing _closing;
    private readonly ILogger _log;
    private readonly int _id;
    private readonly long _opened = Stopwatch.GetTimestamp();

    private CancellationTokenSource _current = new();
    private bool _handshakeDone;
    private volatile bool _ending;
    private bool _queueFullLogged;

    private enum Outcome { Continue, End, Closed }

    public TtsSession(int id, WebSocket socket, SessionSettings settings, ServerServices services)
    {
        _id = id;
        _socket = socket;
        _settings = settings;
        _options = services.Options;
        _log = services.Logger;
        _output = new SessionOutput(socket, _options.SendTimeout);
        _receiver = new ClientFrameReceiver(socket, _output, _options.MaxFrameBytes);
        _text = new TextIntake(_options.MaxSegmentChars);
        _queue = new SessionWorkQueue(_options.MaxQueuedChars);
        var speaker = new SegmentSpeaker(_output, settings, services, owner: this);
        _pipeline = new SessionPipeline(_queue, _output, speaker, _quiet, _text);
        _closing = new SessionClosing(socket, _output, () => _current.CancelAsync(), _log, id);
    }

    public async Task RunAsync(CancellationToken serverStopping)
    {
        var pipeline = Task.Run(() => RunPipelineAsync(_closing.Ended));
        var watchdog = Task.Run(() => InactivityWatchdog.WatchAsync(_output, _socket, _settings.InactivityTimeout,
            () => _queue.PendingSegments > 0, _closing.Ended));
        await using var stopping = serverStopping.Register(() => _ = _closing.GoAwayAsync());
        var outcome = Outcome.Closed;
        try
        {
            outcome = await ReadFramesAsync(_closing.Ended);
            if (outcome == Outcome.End)
            {
                // Let the pipeline send the rest and the final frame, then close normally.
                _queue.Complete();
                if (await pipeline)
                {
                    _closing.Reason = "end of input";
                    await _output.CloseAsync(WebSocketCloseStatus.NormalClosure, "", _closing.Ended);
                    await _output.AwaitCloseReplyAsync(_closing.Ended);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException or ClientNotReadingException)
        {
            // The client vanished or stopped reading, the server is stopping, or the WebSocket layer
            // failed the connection itself (a text frame that is not UTF-8: it sends close 1007,
            // RFC 6455 §8.1, and the transport lets that close reach the client): drop the work below.
            _closing.ConnectionEnded(e);
        }
        catch (Exception e)
        {
            // A fault of ours must not take the socket down without a word.
            _closing.Reason = $"internal error ({e.GetType().Name}: {e.Message})";
            _log.LogError("TTS session {Session}: {Error}", _id, _closing.Reason);
            _log.LogDebug(e, "TTS session {Session} failed", _id);
            await _closing.FailAsync(ErrorMessages.AudioFailed);
        }
        finally
        {
            await _current.CancelAsync(); // aborts a running synthesis, drops queued ones
            _queue.Complete();
            await _closing.EndAsync();
            await Task.WhenAll(pipeline, watchdog).ContinueWith(_ => { }, TaskScheduler.Default);
            if (_socket.State is not (WebSocketState.Closed or WebSocketState.Aborted) && outcome != Outcome.End)
                _socket.Abort();
            if (_output.NotReading is { } notReading)
            {
                _closing.Reason = notReading.Message;
                _log.LogWarning("TTS session {Session}: {Reason}; closing it (tts-server.send-timeout)", _id, notReading.Message);
            }
            _log.LogInformation("TTS session {Session} closed: {Reason}; {Segments} segment(s) spoken in {Seconds:0.0} s",
                _id, _closing.Reason, _pipeline.SegmentsSpoken, Stopwatch.GetElapsedTime(_opened).TotalSeconds);
        }
    }

    private async Task<Outcome> ReadFramesAsync(CancellationToken cancellation)
    {
        while (true)
        {
            var outcome = await _receiver.ReceiveAsync(cancellation) switch
            {
                Incoming.Frame frame => await HandleAsync(frame.Value, cancellation),
                Incoming.Refused refused => await FailAsync(refused.Message, refused.Status),
                _ => await ClosedByClientAsync(cancellation),
            };
            if (outcome != Outcome.Continue) return outcome;
            await WaitForQueueRoomAsync(cancellation);
        }
    }

    private async Task<Outcome> ClosedByClientAsync(CancellationToken cancellation)
    {
        await _output.CloseAsync(WebSocketCloseStatus.NormalClosure, "", cancellation);
        return Outcome.Closed;
    }

    private async Task<Outcome> HandleAsync(ClientFrame frame, CancellationToken cancellation)
    {
        _quiet.NoteFrame();
        if (!_handshakeDone)
        {
            // The first frame must be the handshake {"text":" "}; the live service answers anything else this way.
            if (frame.Text is not { Length: > 0 } first || !string.IsNullOrWhiteSpace(first))
                return await FailAsync(ErrorMessages.InvalidMessage, WebSocketCloseStatus.PolicyViolation);
            _handshakeDone = true;
            _pipeline.Speed = Math.Clamp(frame.VoiceSpeed ?? 1.0, 0.45, 2.6);
            return Outcome.Continue;
        }

        if (frame.Force) await InterruptAsync(cancellation);

        if (frame.Text == "")
        {
            // End of input: everything buffered becomes segments, then final frame and close.
            _ending = true;
            Enqueue(_text.Take(all: true));
            _queue.Add(new SessionWork.EndOfInput());
            return Outcome.End;
        }

        if (frame.Text is { } text) _text.Append(text);
        var spoken = _text.Take(all: frame.Flush);
        // Only text still waiting for its sentence end counts against the buffer: a long frame
        // of complete sentences is fine.
        if (_text.Length > _options.MaxBufferChars)
            return await FailAsync(ErrorMessages.BufferFull(_options.MaxBufferChars), WebSocketCloseStatus.MessageTooBig);
        Enqueue(spoken);
        if (spoken.Count > 0 || frame.Flush) _queue.Add(new SessionWork.Checkpoint(_output.Generation, frame.Flush));
        return Outcome.Continue;
    }

    private void Enqueue(List<string> spoken) => _queue.Enqueue(spoken, _output.Generation, _current.Token);

    /// <summary>Back-pressure: with more than <c>max-queued-chars</c> waiting for synthesis, the
    /// socket is not read until audio catches up. A client that does not read its audio either
    /// is caught by the send timeout, which ends the session.</summary>
    private async Task WaitForQueueRoomAsync(CancellationToken cancellation)
    {
        if (!_queue.IsOverfull) return;
        if (!_queueFullLogged)
        {
            _queueFullLogged = true;
            _log.LogInformation("TTS session {Session}: more than {Limit} characters wait for synthesis (tts-server.max-queued-chars); reading paused until audio catches up", _id, _options.MaxQueuedChars);
        }
        await _queue.WaitForRoomAsync(cancellation);
    }

    /// <summary>Barge-in: stop the current synthesis, drop buffered text and queued segments; the
    /// handshake (voice, format, settings) stays.</summary>
    private async Task InterruptAsync(CancellationToken cancellation)
    {
        var old = _current;
        await _output.NewGenerationAsync(() =>
        {
            _current = new CancellationTokenSource();
            _text.Clear();
        }, cancellation);
        await old.CancelAsync();
    }

    /// <summary>The pipeline; a synthesis failure is told to the client and ends the session.</summary>
    private async Task<bool> RunPipelineAsync(CancellationToken cancellation)
    {
        try
        {
            return await _pipeline.RunAsync(cancellation);
        }
        catch (Exception e)
        {
            _closing.Reason = $"synthesis failed ({e.GetType().Name}: {e.Message})";
            _log.LogError("TTS session {Session}: {Error}", _id, _closing.Reason);
            _log.LogDebug(e, "TTS session {Session}: synthesis failed", _id);
            await _closing.FailAsync(_ending ? ErrorMessages.RemainingAudioFailed : ErrorMessages.AudioFailed);
            return false;
        }
    }

    /// <summary>A client error: the reader stops and waits for the client's close reply.</summary>
    private async Task<Outcome> FailAsync(string message, WebSocketCloseStatus status)
    {
        await _closing.RefuseAsync(message, status);
        return Outcome.Closed;
    }
}

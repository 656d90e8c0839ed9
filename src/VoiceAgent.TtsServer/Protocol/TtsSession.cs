using System.Diagnostics;
using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using VoiceAgent.Telnyx;
using VoiceAgent.TtsServer.Text;

namespace VoiceAgent.TtsServer.Protocol;

/// <summary>
/// One client socket. The reader (<see cref="RunAsync"/>) handles client frames strictly in
/// order and turns their text into segments (<see cref="TextIntake"/>); a pipeline task speaks
/// the queued segments one at a time (<see cref="SegmentSpeaker"/>) and sends their frames
/// through <see cref="SessionOutput"/>. Nothing that goes wrong inside a session escapes it:
/// the client gets an error frame and a close, and the server log says what happened.
/// </summary>
internal sealed class TtsSession
{
    /// <summary>After boundary-driven work, a mid-stream final frame waits for this much client
    /// silence: a token stream still on the wire must not look like finished input.</summary>
    private static readonly TimeSpan QuietBeforeFinal = TimeSpan.FromMilliseconds(150);

    /// <summary>How long a stopping server waits for a client to answer its 1001 close.</summary>
    private static readonly TimeSpan GoingAwayTimeout = TimeSpan.FromSeconds(2);

    private readonly WebSocket _socket;
    private readonly SessionSettings _settings;
    private readonly ServerServices _services;
    private readonly SessionOutput _output;
    private readonly SegmentSpeaker _speaker;
    private readonly TextIntake _text;
    private readonly Channel<Work> _work = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _sessionEnd = new();
    private readonly ILogger _log;
    private readonly int _id;
    private readonly long _opened = Stopwatch.GetTimestamp();

    private CancellationTokenSource _current = new();
    private int _pendingSegments;
    private int _queuedWork;
    private long _queuedChars;
    private TaskCompletionSource _drained = NewSignal();
    private long _lastClientFrameTicks = Environment.TickCount64;
    private bool _handshakeDone;
    private double _speed = 1.0;
    private volatile bool _ending;
    private bool _queueFullLogged;
    private int _segmentsSpoken;
    private int _generationSpoken = -1; // the work whose audio the client has had (turns open when it changes)
    private string _endReason = "client closed";

    private abstract record Work;
    private sealed record Speak(Segment Segment) : Work;
    /// <summary>After a frame that completed or flushed text: say "final" if nothing is left.</summary>
    private sealed record Checkpoint(int Generation, bool Flushed) : Work;
    private sealed record EndOfInput : Work;

    private enum Outcome { Continue, End, Closed }

    public TtsSession(int id, WebSocket socket, SessionSettings settings, ServerServices services)
    {
        _id = id;
        _socket = socket;
        _settings = settings;
        _services = services;
        _log = services.Logger;
        _output = new SessionOutput(socket, services.Options.SendTimeout);
        _speaker = new SegmentSpeaker(_output, settings, services, owner: this);
        _text = new TextIntake(services.Options.MaxSegmentChars);
    }

    private TtsServerOptions Options => _services.Options;

    public async Task RunAsync(CancellationToken serverStopping)
    {
        var pipeline = Task.Run(() => RunPipelineAsync(_sessionEnd.Token));
        var watchdog = Task.Run(() => InactivityWatchdog.WatchAsync(_output, _socket, _settings.InactivityTimeout,
            () => Volatile.Read(ref _pendingSegments) > 0, _sessionEnd.Token));
        await using var stopping = serverStopping.Register(() => _ = GoAwayAsync());
        var outcome = Outcome.Closed;
        try
        {
            outcome = await ReadFramesAsync(_sessionEnd.Token);
            if (outcome == Outcome.End)
            {
                // Let the pipeline send the rest and the final frame, then close normally.
                _work.Writer.TryComplete();
                if (await pipeline)
                {
                    _endReason = "end of input";
                    await _output.CloseAsync(WebSocketCloseStatus.NormalClosure, "", _sessionEnd.Token);
                    await _output.AwaitCloseReplyAsync(_sessionEnd.Token);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException or ClientNotReadingException)
        {
            // The client vanished or stopped reading, the server is stopping, or the WebSocket layer
            // failed the connection itself (a text frame that is not UTF-8: it sends close 1007,
            // RFC 6455 §8.1, and the transport lets that close reach the client): drop the work below.
            if (_endReason == "client closed") _endReason = WhyTheConnectionEnded(e);
        }
        catch (Exception e)
        {
            // A fault of ours must not take the socket down without a word.
            _endReason = $"internal error ({e.GetType().Name}: {e.Message})";
            _log.LogError("TTS session {Session}: {Error}", _id, _endReason);
            _log.LogDebug(e, "TTS session {Session} failed", _id);
            await TryFailAsync(ErrorMessages.AudioFailed);
        }
        finally
        {
            await _current.CancelAsync(); // aborts a running synthesis, drops queued ones
            _work.Writer.TryComplete();
            await _sessionEnd.CancelAsync();
            await Task.WhenAll(pipeline, watchdog).ContinueWith(_ => { }, TaskScheduler.Default);
            if (_socket.State is not (WebSocketState.Closed or WebSocketState.Aborted) && outcome != Outcome.End)
                _socket.Abort();
            if (_output.NotReading is { } notReading)
            {
                _endReason = notReading.Message;
                _log.LogWarning("TTS session {Session}: {Reason}; closing it (tts-server.send-timeout)", _id, notReading.Message);
            }
            _log.LogInformation("TTS session {Session} closed: {Reason}; {Segments} segment(s) spoken in {Seconds:0.0} s",
                _id, _endReason, _segmentsSpoken, Stopwatch.GetElapsedTime(_opened).TotalSeconds);
        }
    }

    private static string WhyTheConnectionEnded(Exception e) => e switch
    {
        WebSocketException { WebSocketErrorCode: WebSocketError.ConnectionClosedPrematurely } => "the client went away without closing",
        WebSocketException { WebSocketErrorCode: WebSocketError.Faulted } => "the WebSocket layer failed the connection (a frame it refused, e.g. text that is not UTF-8: close 1007)",
        _ => $"connection ended ({e.Message})",
    };

    /// <summary>The server is stopping: drop the work, close with 1001 and give the client a
    /// moment to answer before the socket is aborted.</summary>
    private async Task GoAwayAsync()
    {
        try
        {
            _endReason = "server stopping";
            await _current.CancelAsync();
            using var timeout = new CancellationTokenSource(GoingAwayTimeout);
            await _output.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "server stopping", timeout.Token);
            await Task.Delay(GoingAwayTimeout, _sessionEnd.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException)
        {
        }
        if (!_sessionEnd.IsCancellationRequested) _socket.Abort();
    }

    private async Task<Outcome> ReadFramesAsync(CancellationToken cancellation)
    {
        var buffer = new byte[Options.MaxFrameBytes + 1];
        while (true)
        {
            var count = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (count >= buffer.Length)
                    return await FailAsync(ErrorMessages.FrameTooLarge(Options.MaxFrameBytes), WebSocketCloseStatus.MessageTooBig);
                result = await _socket.ReceiveAsync(buffer.AsMemory(count), cancellation);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await _output.CloseAsync(WebSocketCloseStatus.NormalClosure, "", cancellation);
                    return Outcome.Closed;
                }
                count += result.Count;
                if (count > Options.MaxFrameBytes)
                    return await FailAsync(ErrorMessages.FrameTooLarge(Options.MaxFrameBytes), WebSocketCloseStatus.MessageTooBig);
            } while (!result.EndOfMessage);

            _output.NoteActivity();
            if (_output.IsClosing) continue; // a close is under way: wait for the client's close reply
            if (result.MessageType == WebSocketMessageType.Binary)
                return await FailAsync(ErrorMessages.BinaryFrame, WebSocketCloseStatus.InvalidMessageType);

            var frame = ClientFrame.Parse(buffer.AsSpan(0, count), out var problem);
            if (frame is null)
                return await FailAsync($"{ErrorMessages.InvalidMessage}: {problem}", WebSocketCloseStatus.PolicyViolation);

            var outcome = await HandleAsync(frame, cancellation);
            if (outcome != Outcome.Continue) return outcome;
            await WaitForQueueRoomAsync(cancellation);
        }
    }

    private async Task<Outcome> HandleAsync(ClientFrame frame, CancellationToken cancellation)
    {
        Volatile.Write(ref _lastClientFrameTicks, Environment.TickCount64);
        if (!_handshakeDone)
        {
            // The first frame must be the handshake {"text":" "}; the live service answers anything else this way.
            if (frame.Text is not { Length: > 0 } first || !string.IsNullOrWhiteSpace(first))
                return await FailAsync(ErrorMessages.InvalidMessage, WebSocketCloseStatus.PolicyViolation);
            _handshakeDone = true;
            _speed = Math.Clamp(frame.VoiceSpeed ?? 1.0, 0.45, 2.6);
            return Outcome.Continue;
        }

        if (frame.Force) await InterruptAsync(cancellation);

        if (frame.Text == "")
        {
            // End of input: everything buffered becomes segments, then final frame and close.
            _ending = true;
            Enqueue(_text.Take(all: true));
            Queue(new EndOfInput());
            return Outcome.End;
        }

        if (frame.Text is { } text) _text.Append(text);
        var spoken = _text.Take(all: frame.Flush);
        // Only text still waiting for its sentence end counts against the buffer: a long frame
        // of complete sentences is fine.
        if (_text.Length > Options.MaxBufferChars)
            return await FailAsync(ErrorMessages.BufferFull(Options.MaxBufferChars), WebSocketCloseStatus.MessageTooBig);
        Enqueue(spoken);
        if (spoken.Count > 0 || frame.Flush) Queue(new Checkpoint(_output.Generation, frame.Flush));
        return Outcome.Continue;
    }

    private void Enqueue(List<string> spoken)
    {
        foreach (var text in spoken)
        {
            Interlocked.Increment(ref _pendingSegments);
            Interlocked.Add(ref _queuedChars, text.Length);
            Queue(new Speak(new Segment(_output.Generation, text, _current.Token)));
        }
    }

    /// <summary>Hands work to the pipeline, counting it (this channel cannot count itself).</summary>
    private void Queue(Work work)
    {
        Interlocked.Increment(ref _queuedWork);
        if (!_work.Writer.TryWrite(work)) Interlocked.Decrement(ref _queuedWork);
    }

    /// <summary>Back-pressure: with more than <c>max-queued-chars</c> waiting for synthesis, the
    /// socket is not read until audio catches up. A client that does not read its audio either
    /// is caught by the send timeout, which ends the session.</summary>
    private async Task WaitForQueueRoomAsync(CancellationToken cancellation)
    {
        while (Interlocked.Read(ref _queuedChars) > Options.MaxQueuedChars)
        {
            if (!_queueFullLogged)
            {
                _queueFullLogged = true;
                _log.LogInformation("TTS session {Session}: more than {Limit} characters wait for synthesis (tts-server.max-queued-chars); reading paused until audio catches up", _id, Options.MaxQueuedChars);
            }
            var drained = Volatile.Read(ref _drained).Task;
            if (Interlocked.Read(ref _queuedChars) <= Options.MaxQueuedChars) break;
            await drained.WaitAsync(cancellation);
        }
    }

    private void SegmentDone(Segment segment)
    {
        Interlocked.Decrement(ref _pendingSegments);
        Interlocked.Add(ref _queuedChars, -segment.Text.Length);
        Interlocked.Exchange(ref _drained, NewSignal()).TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

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

    /// <summary>Runs until end of input has been answered (true) or the session is over (false).</summary>
    private async Task<bool> RunPipelineAsync(CancellationToken cancellation)
    {
        try
        {
            await foreach (var work in _work.Reader.ReadAllAsync(cancellation))
            {
                Interlocked.Decrement(ref _queuedWork);
                switch (work)
                {
                    case EndOfInput:
                        if (!_output.LastSentFinal) await _output.SendAsync(_output.Generation, ServerFrame.Final, cancellation);
                        return true;
                    case Checkpoint checkpoint:
                        // A flush is answered at once; other work only once the client has gone quiet
                        // (clients written for the live service stop at the first final frame).
                        if (!checkpoint.Flushed) await WaitForQuietAsync(cancellation);
                        if (Volatile.Read(ref _pendingSegments) == 0 && !_output.LastSentFinal && _text.IsBlank && Volatile.Read(ref _queuedWork) == 0)
                            await _output.SendAsync(checkpoint.Generation, ServerFrame.Final, cancellation);
                        break;
                    case Speak { Segment: var segment }:
                        try
                        {
                            if (segment.Generation == _output.Generation && !segment.Cancellation.IsCancellationRequested)
                            {
                                // A turn opens with the session's first segment, after a force, and after a final frame.
                                var opensTurn = segment.Generation != _generationSpoken || _output.LastSentFinal;
                                await _speaker.SpeakAsync(segment, _speed, opensTurn, cancellation);
                                _generationSpoken = segment.Generation;
                                _segmentsSpoken++;
                            }
                        }
                        catch (OperationCanceledException) when (segment.Cancellation.IsCancellationRequested && !cancellation.IsCancellationRequested)
                        {
                            // Forced: this segment's work was dropped.
                        }
                        finally
                        {
                            SegmentDone(segment);
                        }
                        break;
                }
            }
            return false;
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException or ClientNotReadingException)
        {
            return false;
        }
        catch (Exception e)
        {
            _endReason = $"synthesis failed ({e.GetType().Name}: {e.Message})";
            _log.LogError("TTS session {Session}: {Error}", _id, _endReason);
            _log.LogDebug(e, "TTS session {Session}: synthesis failed", _id);
            await TryFailAsync(_ending ? ErrorMessages.RemainingAudioFailed : ErrorMessages.AudioFailed);
            return false;
        }
    }

    /// <summary>Returns once the client has sent nothing for <see cref="QuietBeforeFinal"/>, or
    /// as soon as more work is queued.</summary>
    private async Task WaitForQuietAsync(CancellationToken cancellation)
    {
        while (Volatile.Read(ref _queuedWork) == 0)
        {
            var quiet = TimeSpan.FromMilliseconds(Environment.TickCount64 - Volatile.Read(ref _lastClientFrameTicks));
            if (quiet >= QuietBeforeFinal) return;
            await Task.Delay(QuietBeforeFinal - quiet, cancellation);
        }
    }

    /// <summary>A client error: one error frame, a close, and the reader waits for the client's
    /// close reply.</summary>
    private async Task<Outcome> FailAsync(string message, WebSocketCloseStatus status)
    {
        _endReason = $"{message} (close {(int)status})";
        _log.LogInformation("TTS session {Session}: {Error}", _id, _endReason);
        await _current.CancelAsync();
        using var timeout = new CancellationTokenSource(SessionOutput.CloseHandshakeTimeout);
        await _output.FailAsync(message, status, timeout.Token);
        await _output.AwaitCloseReplyAsync(_sessionEnd.Token);
        return Outcome.Closed;
    }

    /// <summary>A server-side failure (from the pipeline or a fault): error frame and close,
    /// then the socket is given up if the client does not answer the close.</summary>
    private async Task TryFailAsync(string message)
    {
        try
        {
            await _current.CancelAsync();
            using var timeout = new CancellationTokenSource(SessionOutput.CloseHandshakeTimeout);
            await _output.FailAsync(message, WebSocketCloseStatus.InternalServerError, timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException or ClientNotReadingException)
        {
            // The socket is gone as well.
        }
        _ = Task.Delay(SessionOutput.CloseHandshakeTimeout).ContinueWith(_ => _sessionEnd.Cancel(), TaskScheduler.Default);
    }
}

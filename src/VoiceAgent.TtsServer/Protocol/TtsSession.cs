using System.Diagnostics;
using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using VoiceAgent.TtsServer.Audio;
using VoiceAgent.TtsServer.Synthesis;
using VoiceAgent.TtsServer.Text;

namespace VoiceAgent.TtsServer.Protocol;

/// <summary>
/// One client socket. The reader (this class's RunAsync) handles client frames strictly in
/// order; a pipeline task synthesizes the queued segments one at a time and sends their frames.
/// Every send holds one lock and carries the generation of the work it belongs to; a force
/// frame bumps the generation under the same lock, so once the force has been read no frame of
/// the old work can go out.
/// </summary>
internal sealed class TtsSession
{
    /// <summary>How long a client may take to answer our close frame (generous: a busy client
    /// with many sockets may be slow to read it; one that vanished fails sooner anyway).</summary>
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(10);

    private readonly WebSocket _socket;
    private readonly SessionSettings _settings;
    private readonly ServerServices _services;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Channel<Work> _work = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly SentenceBuffer _buffer = new();
    private readonly Lock _bufferLock = new();
    private readonly CancellationTokenSource _sessionEnd = new();

    private CancellationTokenSource _current = new();
    private int _generation;
    private int _pendingSegments;
    private long _lastActivity = Environment.TickCount64;
    private bool _handshakeDone;
    private double _speed = 1.0;
    private bool _lastSentFinal;
    private bool _closing;
    private volatile bool _ending;

    private abstract record Work(int Generation);
    private sealed record Segment(int Generation, string Text, CancellationToken Cancellation) : Work(Generation);
    /// <summary>After a frame that completed or flushed text: say "final" if nothing is left.</summary>
    private sealed record Checkpoint(int Generation, bool Flushed) : Work(Generation);

    /// <summary>After boundary-driven work, a mid-stream final frame waits for this much client
    /// silence: a token stream still on the wire must not look like finished input.</summary>
    private static readonly TimeSpan QuietBeforeFinal = TimeSpan.FromMilliseconds(150);

    private long _lastClientFrameTicks = Environment.TickCount64;
    private int _queuedWork;

    /// <summary>Hands work to the pipeline, counting it (this channel cannot count itself).</summary>
    private void Queue(Work work)
    {
        Interlocked.Increment(ref _queuedWork);
        if (!_work.Writer.TryWrite(work)) Interlocked.Decrement(ref _queuedWork);
    }
    private sealed record EndOfInput() : Work(0);

    private enum Outcome { Continue, End, Closed }

    public TtsSession(WebSocket socket, SessionSettings settings, ServerServices services)
    {
        _socket = socket;
        _settings = settings;
        _services = services;
    }

    private TtsServerOptions Options => _services.Options;

    public async Task RunAsync(CancellationToken serverStopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(serverStopping, _sessionEnd.Token);
        var pipeline = Task.Run(() => RunPipelineAsync(linked.Token));
        var watchdog = Task.Run(() => WatchInactivityAsync(linked.Token));
        var outcome = Outcome.Closed;
        try
        {
            outcome = await ReadFramesAsync(linked.Token);
            if (outcome == Outcome.End)
            {
                // Let the pipeline send the rest and the final frame, then close normally.
                _work.Writer.TryComplete();
                var completed = await pipeline;
                if (completed) await CloseAsync(WebSocketCloseStatus.NormalClosure, "", linked.Token, drain: true);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The client vanished or the server is stopping: drop the work below.
            _services.Logger.LogDebug("TTS session ended abruptly: {Reason}", e.Message);
        }
        finally
        {
            _current.Cancel();     // aborts a running synthesis, drops queued ones
            _work.Writer.TryComplete();
            _sessionEnd.Cancel();
            await Task.WhenAll(pipeline, watchdog).ContinueWith(_ => { }, TaskScheduler.Default);
            if (_socket.State is not (WebSocketState.Closed or WebSocketState.Aborted) && outcome != Outcome.End)
                _socket.Abort();
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
                    return await FailAsync(ErrorMessages.FrameTooLarge(Options.MaxFrameBytes), WebSocketCloseStatus.MessageTooBig, cancellation);
                result = await _socket.ReceiveAsync(buffer.AsMemory(count), cancellation);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await CloseAsync(WebSocketCloseStatus.NormalClosure, "", cancellation, drain: false);
                    return Outcome.Closed;
                }
                count += result.Count;
                if (count > Options.MaxFrameBytes)
                    return await FailAsync(ErrorMessages.FrameTooLarge(Options.MaxFrameBytes), WebSocketCloseStatus.MessageTooBig, cancellation);
            } while (!result.EndOfMessage);

            Interlocked.Exchange(ref _lastActivity, Environment.TickCount64);
            if (_closing) continue; // an inactivity close is under way: wait for the client's close reply
            if (result.MessageType == WebSocketMessageType.Binary)
                return await FailAsync(ErrorMessages.BinaryFrame, WebSocketCloseStatus.InvalidMessageType, cancellation);

            var frame = ClientFrame.Parse(buffer.AsSpan(0, count), out var problem);
            if (frame is null)
                return await FailAsync($"{ErrorMessages.InvalidMessage}: {problem}", WebSocketCloseStatus.PolicyViolation, cancellation);

            var outcome = await HandleAsync(frame, cancellation);
            if (outcome != Outcome.Continue) return outcome;
        }
    }

    private async Task<Outcome> HandleAsync(ClientFrame frame, CancellationToken cancellation)
    {
        Volatile.Write(ref _lastClientFrameTicks, Environment.TickCount64);
        if (!_handshakeDone)
        {
            // The first frame must be the handshake {"text":" "}; the live service answers anything else this way.
            if (frame.Text is not { Length: > 0 } first || !string.IsNullOrWhiteSpace(first))
                return await FailAsync(ErrorMessages.InvalidMessage, WebSocketCloseStatus.PolicyViolation, cancellation);
            _handshakeDone = true;
            _speed = Math.Clamp(frame.VoiceSpeed ?? 1.0, 0.45, 2.6);
            return Outcome.Continue;
        }

        if (frame.Force) await InterruptAsync(cancellation);

        if (frame.Text == "")
        {
            // End of input: everything buffered becomes segments, then final frame and close.
            _ending = true;
            Enqueue(TakeText(all: true));
            Queue(new EndOfInput());
            return Outcome.End;
        }

        if (frame.Text is { } text)
        {
            lock (_bufferLock)
            {
                if (_buffer.Length + text.Length > Options.MaxBufferChars) goto overflow;
                _buffer.Append(text);
            }
        }
        var sentences = TakeText(all: frame.Flush);
        Enqueue(sentences);
        if (sentences.Count > 0 || frame.Flush) Queue(new Checkpoint(_generation, frame.Flush));
        return Outcome.Continue;

    overflow:
        return await FailAsync(ErrorMessages.BufferFull(Options.MaxBufferChars), WebSocketCloseStatus.MessageTooBig, cancellation);
    }

    private List<string> TakeText(bool all)
    {
        lock (_bufferLock) return all ? _buffer.TakeAll() : _buffer.TakeSentences();
    }

    private void Enqueue(List<string> sentences)
    {
        foreach (var sentence in sentences)
        {
            var spoken = SpeechText.Clean(sentence);
            if (!spoken.Any(char.IsLetterOrDigit)) continue; // nothing to say (an emoji, stray marks)
            Interlocked.Increment(ref _pendingSegments);
            Queue(new Segment(_generation, spoken, _current.Token));
        }
    }

    /// <summary>Barge-in: stop the current synthesis, drop buffered text and queued segments; the
    /// handshake (voice, format, settings) stays.</summary>
    private async Task InterruptAsync(CancellationToken cancellation)
    {
        CancellationTokenSource old;
        await _sendLock.WaitAsync(cancellation);
        try
        {
            _generation++;
            old = _current;
            _current = new CancellationTokenSource();
            lock (_bufferLock) _buffer.Clear();
        }
        finally
        {
            _sendLock.Release();
        }
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
                        if (!_lastSentFinal) await SendAsync(Volatile.Read(ref _generation), ServerFrames.Final, cancellation);
                        return true;
                    case Checkpoint checkpoint:
                        // A flush is answered at once; other work only once the client has gone quiet
                        // (clients written for the live service stop at the first final frame).
                        if (!checkpoint.Flushed) await WaitForQuietAsync(cancellation);
                        if (Volatile.Read(ref _pendingSegments) == 0 && !_lastSentFinal && BufferIsBlank() && Volatile.Read(ref _queuedWork) == 0)
                            await SendAsync(checkpoint.Generation, ServerFrames.Final, cancellation);
                        break;
                    case Segment segment:
                        try
                        {
                            if (segment.Generation == Volatile.Read(ref _generation))
                                await SpeakAsync(segment, cancellation);
                        }
                        catch (OperationCanceledException) when (segment.Cancellation.IsCancellationRequested && !cancellation.IsCancellationRequested)
                        {
                            // Forced: this segment's work was dropped.
                        }
                        finally
                        {
                            Interlocked.Decrement(ref _pendingSegments);
                        }
                        break;
                }
            }
            return false;
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException)
        {
            return false;
        }
        catch (Exception e)
        {
            _services.Logger.LogError(e, "TTS synthesis failed");
            try
            {
                await FailAsync(_ending ? ErrorMessages.RemainingAudioFailed : ErrorMessages.AudioFailed, WebSocketCloseStatus.InternalServerError, cancellation, drain: false);
            }
            catch (Exception) { /* the socket is gone as well */ }
            _sessionEnd.Cancel();
            return false;
        }
    }

    private bool BufferIsBlank()
    {
        lock (_bufferLock) return _buffer.IsBlank;
    }

    /// <summary>Engine samples resampled and encoded per step while streaming a segment; small
    /// enough that the first frame leaves early, large enough to keep per-call costs low.</summary>
    private const int EncodeBlockSamples = 4096;

    private async Task SpeakAsync(Segment segment, CancellationToken cancellation)
    {
        var started = Stopwatch.GetTimestamp();
        var spec = _settings.Audio;
        var cache = _settings.DisableCache ? null : _services.Cache;
        var key = AudioCache.KeyFor(segment.Text, _settings.Voice.Identifier, spec, _speed);
        if (cache is not null && cache.TryGet(key, out var cachedAudio))
        {
            await SendWholeAsync(segment, cachedAudio, cached: true, started, cancellation);
            return;
        }

        short[] samples;
        using (var both = CancellationTokenSource.CreateLinkedTokenSource(segment.Cancellation, cancellation))
            samples = await _services.Worker.SynthesizeAsync(new SynthesisRequest(segment.Text, _settings.Voice.Identifier, _speed), both.Token);
        segment.Cancellation.ThrowIfCancellationRequested();

        // WAV and MP3 are encoded whole: their headers (an MP3's gapless Info frame) need the length.
        if (Options.Concatenated || spec.Format != AudioFormat.Linear16)
        {
            var audio = SegmentAudio.Encode(samples, _services.EngineSampleRate, spec);
            cache?.Add(key, audio);
            await SendWholeAsync(segment, audio, cached: false, started, cancellation);
            return;
        }

        // Stream: encode block by block and send each piece as soon as it is whole.
        using var encoder = new SegmentStreamEncoder(_services.EngineSampleRate, spec);
        var everything = new List<byte>();
        var pending = new List<byte>();
        long? firstFrame = null;
        var sentAny = false;
        for (var offset = 0; offset <= samples.Length; offset += EncodeBlockSamples)
        {
            var last = offset + EncodeBlockSamples >= samples.Length;
            var block = samples.AsSpan(offset, Math.Min(EncodeBlockSamples, samples.Length - offset));
            var bytes = last ? [.. encoder.Push(block), .. encoder.Finish()] : encoder.Push(block);
            everything.AddRange(bytes);
            pending.AddRange(bytes);
            while (true)
            {
                // The first piece goes as soon as any PCM is ready.
                var ready = SegmentAudio.ReadyLength(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pending), spec.Format,
                    sentAny ? Options.ChunkBytes : 1, final: last);
                if (ready == 0) break;
                var piece = pending.GetRange(0, ready).ToArray();
                pending.RemoveRange(0, ready);
                firstFrame = sentAny ? null : (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                segment.Cancellation.ThrowIfCancellationRequested();
                if (!await SendAsync(segment.Generation, ServerFrames.Audio(piece, null, false, firstFrame), cancellation)) return;
                sentAny = true;
            }
            // Let other sessions encode their first blocks: first audio matters more than the rest.
            await Task.Yield();
            if (last) break;
        }
        cache?.Add(key, everything.ToArray());
        await SendAsync(segment.Generation, ServerFrames.SegmentText(segment.Text, false), cancellation);
    }

    private async Task SendWholeAsync(Segment segment, byte[] audio, bool cached, long started, CancellationToken cancellation)
    {
        var timeToFirstAudio = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (Options.Concatenated)
        {
            await SendAsync(segment.Generation, ServerFrames.Audio(audio, segment.Text, cached, timeToFirstAudio), cancellation);
            return;
        }
        long? firstFrame = timeToFirstAudio;
        foreach (var piece in SegmentAudio.Split(audio, _settings.Audio.Format, Options.ChunkBytes))
        {
            if (!await SendAsync(segment.Generation, ServerFrames.Audio(piece, null, cached, firstFrame), cancellation)) return;
            firstFrame = null;
        }
        await SendAsync(segment.Generation, ServerFrames.SegmentText(segment.Text, cached), cancellation);
    }

    /// <summary>Sends one frame unless its work was interrupted or the socket is closing.</summary>
    private async Task<bool> SendAsync(int generation, byte[] frame, CancellationToken cancellation)
    {
        await _sendLock.WaitAsync(cancellation);
        try
        {
            if (generation != _generation || _closing) return false;
            await _socket.SendAsync(frame, WebSocketMessageType.Text, true, cancellation);
            _lastSentFinal = ReferenceEquals(frame, ServerFrames.Final);
            Interlocked.Exchange(ref _lastActivity, Environment.TickCount64);
            return true;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends an error frame and closes; nothing else is sent afterwards.</summary>
    private async Task<Outcome> FailAsync(string message, WebSocketCloseStatus status, CancellationToken cancellation, bool drain = true)
    {
        _services.Logger.LogDebug("TTS session error: {Message}", message);
        await _sendLock.WaitAsync(cancellation);
        try
        {
            if (!_closing && _socket.State == WebSocketState.Open)
                await _socket.SendAsync(ServerFrames.Error(message), WebSocketMessageType.Text, true, cancellation);
        }
        finally
        {
            _sendLock.Release();
        }
        await _current.CancelAsync();
        await CloseAsync(status, "", cancellation, drain);
        return Outcome.Closed;
    }

    /// <summary>Starts the close handshake; with <paramref name="drain"/> (only from the reader)
    /// also waits briefly for the client's close reply, discarding anything that arrives first.</summary>
    private async Task CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken cancellation, bool drain)
    {
        await _sendLock.WaitAsync(cancellation);
        try
        {
            if (_closing) return;
            _closing = true;
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await _socket.CloseOutputAsync(status, reason, cancellation);
        }
        finally
        {
            _sendLock.Release();
        }
        if (!drain) return;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(CloseHandshakeTimeout);
        var scratch = new byte[4096];
        try
        {
            while (_socket.State == WebSocketState.CloseSent)
            {
                var result = await _socket.ReceiveAsync(scratch.AsMemory(), timeout.Token);
                if (result.MessageType == WebSocketMessageType.Close) break;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            _socket.Abort();
        }
    }

    /// <summary>Closes the socket (1000, "inactivity timeout") after the client has been silent
    /// for the timeout while no synthesis was queued or running.</summary>
    private async Task WatchInactivityAsync(CancellationToken cancellation)
    {
        var timeout = (long)_settings.InactivityTimeout.TotalMilliseconds;
        var period = TimeSpan.FromMilliseconds(Math.Clamp(timeout / 10, 50, 1000));
        try
        {
            while (!cancellation.IsCancellationRequested)
            {
                await Task.Delay(period, cancellation);
                if (Volatile.Read(ref _pendingSegments) > 0)
                {
                    Interlocked.Exchange(ref _lastActivity, Environment.TickCount64);
                    continue;
                }
                if (Environment.TickCount64 - Interlocked.Read(ref _lastActivity) < timeout) continue;
                await CloseAsync(WebSocketCloseStatus.NormalClosure, "inactivity timeout", cancellation, drain: false);
                // The reader sees the client's close reply; if none comes, give up on the socket.
                await Task.Delay(CloseHandshakeTimeout, cancellation);
                _socket.Abort();
                return;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
        }
    }
}

using System.Runtime.CompilerServices;
using System.Threading.Channels;
using VoiceAgent.Core.Diagnostics;
using VoiceAgent.Pipeline;
using VoiceAgent.Speech.Decoding;
using VoiceAgent.Telnyx;

namespace VoiceAgent.Speech.Telnyx;

/// <summary>
/// One agent turn on a Telnyx TTS socket. Caller commands and server frames go through one inbox
/// handled by one loop, so the protocol state (text not yet acknowledged, end of sequence sent,
/// current socket) needs no locks. A socket that drops before the turn is complete is replaced
/// with bounded backoff, and the unacknowledged text is sent again on the new one.
/// </summary>
internal sealed class TelnyxSpeechStream : ISpeechStream
{
    private readonly TelnyxTtsOptions _options;
    private readonly Channel<object> _inbox = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<SpeechEvent> _events = Channel.CreateUnbounded<SpeechEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly TextLedger _ledger = new();
    private readonly SpeechAudioDecoder _audio;
    private readonly Task _loop;
    private TelnyxConnection _connection;
    private int _generation;
    private int _reconnects;
    private bool _completed;
    private volatile bool _interrupted;
    private int _disposed;

    public TelnyxSpeechStream(TelnyxConnection connection, TelnyxTtsOptions options)
    {
        _options = options;
        _audio = new SpeechAudioDecoder(options.Settings.AudioFormat, options.Settings.SampleRate, options.Settings.OutputSampleRate);
        _connection = connection;
        Attach(connection);
        _loop = Task.Run(RunAsync);
    }

    public Task SendTextAsync(string text, CancellationToken ct)
    {
        if (text.Length > 0) _inbox.Writer.TryWrite(new TextIn(text));
        return Task.CompletedTask;
    }

    public Task CompleteAsync(CancellationToken ct)
    {
        _inbox.Writer.TryWrite(CompleteIn.Instance);
        return Task.CompletedTask;
    }

    public Task InterruptAsync(CancellationToken ct)
    {
        // From here on nothing of this turn is delivered, whatever is still in flight.
        _interrupted = true;
        _events.Writer.TryComplete();
        _inbox.Writer.TryWrite(ForceIn.Instance);
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<SpeechEvent> ReadAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var e in _events.Reader.ReadAllAsync(ct))
        {
            if (_interrupted) yield break;
            yield return e;
        }
    }

    private void Attach(TelnyxConnection connection)
    {
        var generation = ++_generation;
        _ = Task.Run(async () =>
        {
            await foreach (var frame in connection.Frames.ReadAllAsync())
                _inbox.Writer.TryWrite(new FrameIn(generation, frame));
            _inbox.Writer.TryWrite(new ClosedIn(generation, connection));
        });
    }

    private async Task RunAsync()
    {
        try
        {
            await foreach (var item in _inbox.Reader.ReadAllAsync(_stop.Token))
            {
                if (_interrupted && item is not ForceIn) continue;
                switch (item)
                {
                    case TextIn text:
                        _ledger.Append(text.Text);
                        _connection.Send(ClientFrame.Speak(text.Text));
                        break;
                    case CompleteIn when !_completed:
                        _completed = true;
                        _connection.Send(ClientFrame.FlushNow());
                        _connection.Send(ClientFrame.EndOfSequence());
                        break;
                    case ForceIn:
                        _connection.Send(ClientFrame.ForceStop());
                        return;
                    case FrameIn frame when frame.Generation == _generation:
                        if (Handle(frame.Frame)) return;
                        break;
                    case ClosedIn closed when closed.Generation == _generation:
                        if (!await HandleClosedAsync(closed.Connection)) return;
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            _events.Writer.TryComplete();
        }
        catch (SpeechSynthesisException e)
        {
            _events.Writer.TryComplete(e);
        }
        catch (Exception e)
        {
            _events.Writer.TryComplete(new SpeechSynthesisException($"speech synthesis failed: {e.Message}", e));
        }
    }

    /// <summary>Handles one server frame; true when the turn is complete.</summary>
    private bool Handle(ServerFrame frame)
    {
        if (frame.Error is not null)
            throw new SpeechSynthesisException($"the TTS server reported an error: {DoctorText.OneLine(frame.Error)}");
        if (frame.TimeToFirstAudioMs is { } ttfa) Emit(new SpeechServerTiming((int)ttfa));

        var samples = frame.Audio is { Length: > 0 } audio ? _audio.Decode(audio) : [];
        string? marker = null;
        if (!string.IsNullOrWhiteSpace(frame.Text))
        {
            // A text-bearing frame ends a segment: what it names has now been synthesized.
            var rest = _audio.EndSegment();
            if (rest.Length > 0) samples = [.. samples, .. rest];
            marker = _ledger.Acknowledge(frame.Text);
        }
        if (samples.Length > 0 || marker is not null)
            Emit(new SpeechAudio(samples, marker, frame.Audio?.Length ?? 0));

        // A final frame only ends the turn after our end of sequence; before it, it is informational.
        if (frame.IsFinal && _completed)
        {
            Finish();
            return true;
        }
        return false;
    }

    private void Finish()
    {
        var tail = _audio.Finish();
        var rest = _ledger.TakeRest(); // text the server never named: heard by the end of the turn
        if (tail.Length > 0 || rest is not null) Emit(new SpeechAudio(tail, rest));
        _events.Writer.TryComplete();
    }

    /// <summary>The current socket ended. Returns false when the turn is over.</summary>
    private async Task<bool> HandleClosedAsync(TelnyxConnection closed)
    {
        if (_completed && closed.ClosedNormally)
        {
            Finish(); // the server ended the sequence without a final frame
            return false;
        }

        var reason = closed.EndReason ?? "the connection dropped";
        _audio.Abandon(); // a segment cut in the middle is synthesized again from its text
        while (true)
        {
            _reconnects++;
            if (_reconnects > _options.Settings.ReconnectAttempts)
            {
                throw new SpeechSynthesisException(_options.Settings.ReconnectAttempts == 0
                    ? $"TTS connection lost mid-turn: {reason}"
                    : $"TTS connection lost mid-turn and {_options.Settings.ReconnectAttempts} reconnect attempt(s) failed: {reason}");
            }
            Emit(new SpeechNotice($"TTS connection lost; reconnecting ({_reconnects}/{_options.Settings.ReconnectAttempts})"));
            var delay = new Backoff(_options.Settings.ReconnectBackoff).Delay(_reconnects);
            await Task.Delay(delay, _stop.Token);
            if (_interrupted) return false;
            try
            {
                var fresh = await TelnyxConnection.OpenAsync(_options, _stop.Token);
                var old = _connection;
                _connection = fresh;
                _ = old.DisposeAsync().AsTask();
                Attach(fresh);
                if (!_ledger.IsEmpty) fresh.Send(ClientFrame.Speak(_ledger.Pending));
                if (_completed)
                {
                    fresh.Send(ClientFrame.FlushNow());
                    fresh.Send(ClientFrame.EndOfSequence());
                }
                return true;
            }
            catch (SpeechSynthesisException e)
            {
                reason = e.Message;
            }
        }
    }

    private void Emit(SpeechEvent e)
    {
        if (!_interrupted) _events.Writer.TryWrite(e);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        if (!_events.Reader.Completion.IsCompleted) _interrupted = true; // closed mid-turn: deliver nothing more
        _events.Writer.TryComplete();
        _inbox.Writer.TryComplete();
        // Let a queued force frame reach the socket before it closes.
        await Task.WhenAny(_loop, Task.Delay(500));
        await _stop.CancelAsync();
        await _loop; // the loop handles its own failures; after this nothing touches the decoder
        await _connection.DisposeAsync();
        _audio.Dispose();
        _stop.Dispose();
    }

    private sealed record TextIn(string Text);

    private sealed record CompleteIn
    {
        public static readonly CompleteIn Instance = new();
    }

    private sealed record ForceIn
    {
        public static readonly ForceIn Instance = new();
    }

    private sealed record FrameIn(int Generation, ServerFrame Frame);

    private sealed record ClosedIn(int Generation, TelnyxConnection Connection);
}

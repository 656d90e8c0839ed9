using VoiceAgent.Audio.Output;
using VoiceAgent.Protocol;

namespace VoiceAgent.Audio.Playback;

/// <summary>
/// Plays agent turns on an <see cref="IAudioOutput"/>: a queue of audio, segment markers and
/// turn ends, drained by one writer thread in small pieces (20 ms by default), so pause, resume
/// and stop take effect within one piece. Every device call happens on the writer thread.
/// <para>
/// It reports, through the <c>report</c> callback (called on the writer thread), the protocol
/// records <see cref="PlaybackStarted"/>, <see cref="PlaybackProgress"/>,
/// <see cref="PlaybackFinished"/>, <see cref="PlaybackStopped"/>, <see cref="PlaybackFailed"/>
/// <see cref="PlaybackReference"/> and <see cref="PlaybackReferenceCut"/>. "Played" is what has reached the listener: samples
/// written minus what the device still holds.
/// </para>
/// </summary>
public sealed class AudioPlayer : IDisposable
{
    // Audio kept after writing, so a pause can put back what the device had not played yet.
    private static readonly TimeSpan RewindHistory = TimeSpan.FromSeconds(1);

    private readonly IAudioOutput _output;
    private readonly Action<object> _report;
    private readonly TimeProvider _clock;
    private readonly int _pieceSamples;
    private readonly TimeSpan _pieceDuration;
    private readonly object _gate = new();
    private readonly LinkedList<QueueItem> _queue = new();
    private readonly Dictionary<TurnId, Resampler> _resamplers = new();
    private readonly List<StopRequest> _stops = new();
    private readonly LinkedList<short[]> _history = new();
    private readonly Thread _writer;

    private TurnProgress? _current;
    private TurnId _droppedThrough = TurnId.None;
    private TurnId _finishedThrough = TurnId.None;
    private bool _paused;
    private bool _pauseFlushPending;
    private bool _disposed;
    private bool _outputBroken;
    // When the device will have played everything written, by the player's own count; null after
    // a flush. The device's latency figure cannot say whether a piece follows on: PulseAudio
    // interpolates it and reports zero now and then while audio is still queued.
    private DateTimeOffset? _deviceRunsDry;
    // Where the last piece was heard to end, by the device's latency figure.
    private DateTimeOffset? _lastHeardEnd;
    private DateTimeOffset? _stalledSince;
    private TimeSpan _stalledLatency;
    private long _historySamples;

    public AudioPlayer(IAudioOutput output, Action<object> report, TimeSpan? piece = null, TimeProvider? clock = null)
    {
        _output = output;
        _report = report;
        _clock = clock ?? TimeProvider.System;
        _pieceSamples = Math.Max(1, Pcm16.SamplesFor(piece ?? TimeSpan.FromMilliseconds(20), output.SampleRate));
        _pieceDuration = Pcm16.Duration(_pieceSamples, output.SampleRate);
        _writer = new Thread(WriterLoop) { IsBackground = true, Name = "audio-player" };
        _writer.Start();
    }

    public IAudioOutput Output => _output;

    public bool IsPaused
    {
        get { lock (_gate) return _paused; }
    }

    /// <summary>Queues a chunk of an agent turn (resampled to the output rate). Chunks of a
    /// stopped turn, or of an older one, are discarded.</summary>
    public void Enqueue(AudioChunk chunk)
    {
        lock (_gate)
        {
            if (chunk.Turn.Value <= _droppedThrough.Value || chunk.Turn.Value <= _finishedThrough.Value) return;
            if (!chunk.Samples.IsEmpty)
            {
                var samples = chunk.SampleRate == _output.SampleRate
                    ? chunk.Samples.ToArray()
                    : ResamplerFor(chunk.Turn, chunk.SampleRate).Process(chunk.Samples.Span);
                if (samples.Length > 0) _queue.AddLast(new SamplesItem(chunk.Turn, samples));
            }
            if (!string.IsNullOrWhiteSpace(chunk.Text)) _queue.AddLast(new MarkerItem(chunk.Turn, chunk.Text.Trim()));
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>No more audio will come for <paramref name="turn"/>: once what is queued has been
    /// heard, <see cref="PlaybackFinished"/> is reported.</summary>
    public void Complete(TurnId turn)
    {
        lock (_gate)
        {
            if (turn.Value <= _droppedThrough.Value || turn.Value <= _finishedThrough.Value) return;
            if (_resamplers.Remove(turn, out var resampler))
            {
                var tail = resampler.Flush();
                if (tail.Length > 0) _queue.AddLast(new SamplesItem(turn, tail));
            }
            _queue.AddLast(new EndItem(turn));
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Stops writing after the current piece and discards what the device holds; that
    /// audio is put back, so <see cref="Resume"/> continues where the listener stopped hearing.
    /// Returns false when already paused.</summary>
    public bool Pause()
    {
        lock (_gate)
        {
            if (_paused) return false;
            _paused = true;
            _pauseFlushPending = true;
            Monitor.PulseAll(_gate);
            return true;
        }
    }

    /// <summary>Continues after <see cref="Pause"/>. Returns false when not paused.</summary>
    public bool Resume()
    {
        lock (_gate)
        {
            if (!_paused) return false;
            _paused = false;
            Monitor.PulseAll(_gate);
            return true;
        }
    }

    /// <summary>Drops everything of <paramref name="turn"/> and older turns, now; the writer then
    /// flushes the device within one piece and reports <see cref="PlaybackStopped"/>. A later
    /// chunk of those turns is discarded. Also ends a pause.</summary>
    public void Stop(TurnId turn)
    {
        lock (_gate)
        {
            if (turn.Value <= _droppedThrough.Value) return;
            _droppedThrough = turn;
            // Where the current segment ends, if its marker has arrived: needed for the partial
            // heard text. Found before the queue is cleared.
            var upcoming = _current is { } playing && playing.Turn.Value <= turn.Value ? FindQueuedMarker(playing) : null;
            for (var node = _queue.First; node is not null;)
            {
                var next = node.Next;
                if (node.Value.Turn.Value <= turn.Value) _queue.Remove(node);
                node = next;
            }
            foreach (var old in _resamplers.Keys.Where(t => t.Value <= turn.Value).ToList()) _resamplers.Remove(old);
            _stops.Add(new StopRequest(turn, upcoming));
            _paused = false;
            _pauseFlushPending = false;
            Monitor.PulseAll(_gate);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            Monitor.PulseAll(_gate);
        }
        _writer.Join(TimeSpan.FromSeconds(2));
        _output.Dispose();
    }

    private Resampler ResamplerFor(TurnId turn, int rate)
    {
        if (!_resamplers.TryGetValue(turn, out var resampler) || resampler.InputRate != rate)
            _resamplers[turn] = resampler = new Resampler(rate, _output.SampleRate);
        return resampler;
    }

    /// <summary>The first marker still queued for the current turn, with its position in the
    /// turn's samples (what is written so far plus the audio queued before it).</summary>
    private PendingMarker? FindQueuedMarker(TurnProgress turn)
    {
        var position = turn.Written;
        foreach (var item in _queue)
        {
            if (item.Turn != turn.Turn) continue;
            if (item is SamplesItem s) position += s.Remaining;
            else if (item is MarkerItem m) return new PendingMarker(position, m.Text);
        }
        return null;
    }

    private void WriterLoop()
    {
        while (true)
        {
            StopRequest[]? stops = null;
            var pauseFlush = false;
            QueueItem? item = null;
            short[]? piece = null;
            lock (_gate)
            {
                while (!_disposed && _stops.Count == 0 && !_pauseFlushPending && (_paused || _queue.Count == 0))
                    Monitor.Wait(_gate);
                if (_disposed) return;
                if (_stops.Count == 0 && !_pauseFlushPending && WaitForDeviceRoom()) continue;
                if (_stops.Count > 0)
                {
                    stops = _stops.ToArray();
                    _stops.Clear();
                }
                else if (_pauseFlushPending)
                {
                    _pauseFlushPending = false;
                    pauseFlush = true;
                }
                else
                {
                    item = _queue.First!.Value;
                    if (item is SamplesItem samples)
                    {
                        piece = samples.Take(_pieceSamples);
                        if (samples.Remaining == 0) _queue.RemoveFirst();
                    }
                    else
                    {
                        _queue.RemoveFirst();
                    }
                    BeginTurn(item.Turn);
                    if (piece is not null) _current!.Written += piece.Length;
                }
            }

            try
            {
                if (stops is not null) HandleStops(stops);
                else if (pauseFlush) HandlePause();
                else if (piece is not null) PlayPiece(item!.Turn, piece);
                else if (item is MarkerItem marker) PassMarker(marker);
                else if (item is EndItem end) FinishTurn(end.Turn);
            }
            catch (Exception e) when (e is not ThreadInterruptedException)
            {
                OutputFailed(e);
            }
        }
    }

    /// <summary>
    /// Called under the lock before writing a piece: when the device is full, waits (releasing
    /// the lock, woken by a stop or pause) until a piece fits, rather than blocking inside
    /// <see cref="IAudioOutput.Write"/>. So a stop never waits for a write in progress.
    /// Returns true when it waited (the caller looks at the state again).
    /// </summary>
    private bool WaitForDeviceRoom()
    {
        if (_outputBroken || _output.BufferSize <= TimeSpan.Zero || _queue.First?.Value is not SamplesItem) return false;
        var latency = _output.Latency;
        var excess = latency + _pieceDuration - _output.BufferSize;
        if (excess < TimeSpan.FromMilliseconds(1))
        {
            _stalledSince = null;
            return false;
        }
        // A full device whose latency does not move is not playing: PulseAudio was seen, on a
        // heavily loaded machine, to leave a stream that had been flushed for a pause waiting
        // to start with a nearly full buffer, for good. Another piece gets it going; waiting on
        // would leave the reply unfinished forever.
        var now = _clock.GetUtcNow();
        if (_stalledSince is not { } since || Math.Abs((latency - _stalledLatency).TotalMilliseconds) > 0.5)
        {
            _stalledSince = now;
            _stalledLatency = latency;
        }
        else if (now - since > StalledDevice)
        {
            _stalledSince = null;
            StalledWrites++;
            return false;
        }
        Monitor.Wait(_gate, excess);
        return true;
    }

    /// <summary>How long a full device may hold its latency still before a piece is written anyway.</summary>
    private static readonly TimeSpan StalledDevice = TimeSpan.FromMilliseconds(250);

    /// <summary>Pieces written into a full device that had stopped playing (see <see cref="WaitForDeviceRoom"/>).</summary>
    public long StalledWrites { get; private set; }

    /// <summary>Called under the lock when the writer takes an item: starts the turn's accounting.</summary>
    private void BeginTurn(TurnId turn)
    {
        if (_current?.Turn == turn) return;
        _current = new TurnProgress(turn);
        _history.Clear();
        _historySamples = 0;
    }

    private void PlayPiece(TurnId turn, short[] piece)
    {
        var current = _current!;
        if (!current.Started)
        {
            current.Started = true;
            _report(new PlaybackStarted(turn, _clock.GetUtcNow()));
        }
        var latency = TimeSpan.Zero;
        var duration = Pcm16.Duration(piece.Length, _output.SampleRate);
        // A device that has not run dry since the last piece plays this one right after it.
        var continues = !_outputBroken && _deviceRunsDry is { } dry && _clock.GetUtcNow() < dry;
        var now = _clock.GetUtcNow();
        if (!_outputBroken)
        {
            _output.Write(piece);
            (latency, now) = LatencyNow();
        }
        // The latency now includes this piece: its first sample is heard one piece earlier.
        var firstHeard = now + latency - duration;
        if (continues && _output.ExactLatency && _lastHeardEnd is { } previousEnd)
            (firstHeard, continues) = Recheck(firstHeard, latency, previousEnd);
        _lastHeardEnd = _outputBroken ? null : firstHeard + duration;
        _report(new PlaybackReference(piece, _output.SampleRate, firstHeard, continues));
        _deviceRunsDry = _outputBroken ? null : (continues ? _deviceRunsDry!.Value : Max(firstHeard, now)) + duration;
        lock (_gate)
        {
            _history.AddLast(piece);
            _historySamples += piece.Length;
            while (_historySamples - _history.First!.Value.Length >= Pcm16.SamplesFor(RewindHistory, _output.SampleRate))
            {
                _historySamples -= _history.First.Value.Length;
                _history.RemoveFirst();
            }
        }
        ReportProgress(current, HeardPosition(current, latency));
    }

    /// <summary>
    /// "Continues" is judged before the write, by the player's own count. On a starved machine
    /// this thread can be held up inside the write long enough for the device to run dry first
    /// (traced: 49.6 ms blocked, 9.4 ms dry); announced as a continuation, the piece was placed
    /// 151 samples from its echo, the canceller removed nothing and the agent interrupted itself.
    /// A device whose latency is exact says where the piece really began: later than the last
    /// piece ended is a new stream (placed by its stamp); an empty device (the piece was played
    /// whole before the reading) says nothing about when, and the last piece's end does.
    /// </summary>
    private static (DateTimeOffset FirstHeard, bool Continues) Recheck(DateTimeOffset firstHeard, TimeSpan latency, DateTimeOffset previousEnd)
    {
        if (latency <= TimeSpan.Zero) return (previousEnd, true);
        return (firstHeard, firstHeard - previousEnd <= ExactContinuationTolerance);
    }

    /// <summary>How much later than the last piece's end an exact device may start the next one
    /// and still be continuing: what the echo alignment tracker corrects (±3 samples).</summary>
    private static readonly TimeSpan ExactContinuationTolerance = TimeSpan.FromMilliseconds(0.25);

    /// <summary>The device's latency and the moment it held. On a busy machine this thread can
    /// be preempted between reading the latency and reading the clock, and the echo reference
    /// would be stamped late by as much; a reading whose clock moved more than a millisecond
    /// meanwhile is taken again (the tightest of three is kept).</summary>
    private (TimeSpan Latency, DateTimeOffset At) LatencyNow()
    {
        var best = (Latency: TimeSpan.Zero, At: _clock.GetUtcNow(), Spread: TimeSpan.MaxValue);
        for (var attempt = 0; attempt < 3 && best.Spread > TimeSpan.FromMilliseconds(1); attempt++)
        {
            var before = _clock.GetUtcNow();
            var latency = _output.Latency;
            var after = _clock.GetUtcNow();
            if (after - before < best.Spread) best = (latency, before + (after - before) / 2, after - before);
        }
        return (best.Latency, best.At);
    }

    private void PassMarker(MarkerItem marker)
    {
        var current = _current!;
        if (!current.Started)
        {
            // Text-only output has no samples: reaching the first marker is the start.
            current.Started = true;
            _report(new PlaybackStarted(marker.Turn, _clock.GetUtcNow()));
        }
        current.Pending.Add(new PendingMarker(current.Written, marker.Text));
        ReportProgress(current, HeardPosition(current, _outputBroken ? TimeSpan.Zero : _output.Latency));
    }

    private void FinishTurn(TurnId turn)
    {
        var current = _current!;
        if (!_outputBroken && current.Written > 0) _output.Drain();
        lock (_gate)
        {
            if (turn.Value <= _droppedThrough.Value) return; // stopped while draining: the stop reports it
            _finishedThrough = turn;
            _current = null;
        }
        Reach(current, current.Written);
        var played = Pcm16.Duration(current.Written, _output.SampleRate);
        _report(new PlaybackFinished(turn, played, current.HeardText(), _clock.GetUtcNow()));
    }

    private void HandleStops(StopRequest[] stops)
    {
        var current = _current;
        var reported = new HashSet<TurnId>();
        var stopThrough = stops.Max(s => s.Turn.Value);
        if (current is not null && current.Turn.Value <= stopThrough)
        {
            var latency = _outputBroken ? TimeSpan.Zero : FlushDevice();
            var heard = HeardPosition(current, latency);
            Reach(current, heard);
            var upcoming = stops.FirstOrDefault(s => s.Upcoming is not null)?.Upcoming;
            var text = current.HeardText(PartialSegment(current, heard, upcoming));
            lock (_gate)
            {
                if (_current == current) _current = null;
                _history.Clear();
                _historySamples = 0;
            }
            _report(new PlaybackStopped(current.Turn, Pcm16.Duration(heard, _output.SampleRate), text, _clock.GetUtcNow()));
            reported.Add(current.Turn);
        }
        foreach (var stop in stops)
        {
            // A turn whose audio had not started (or not arrived) was stopped with nothing heard.
            if (reported.Add(stop.Turn) && stop.Turn.Value > _finishedThrough.Value)
                _report(new PlaybackStopped(stop.Turn, TimeSpan.Zero, "", _clock.GetUtcNow()));
        }
    }

    private void HandlePause()
    {
        if (_outputBroken) return;
        var latency = FlushDevice();
        lock (_gate)
        {
            var current = _current;
            if (current is null || !_paused) return;
            // Put back what the device dropped, so nothing is lost on resume.
            var unheard = (int)Math.Min(Pcm16.SamplesFor(latency, _output.SampleRate), Math.Min(_historySamples, current.Written));
            if (unheard <= 0) return;
            var rewound = new short[unheard];
            var filled = unheard;
            while (filled > 0 && _history.Last is { } last)
            {
                var take = Math.Min(filled, last.Value.Length);
                Array.Copy(last.Value, last.Value.Length - take, rewound, filled - take, take);
                filled -= take;
                if (take == last.Value.Length) _history.RemoveLast();
                else last.Value = last.Value[..^take];
            }
            _historySamples -= unheard;
            current.Written -= unheard;
            _queue.AddFirst(new SamplesItem(current.Turn, rewound));
        }
    }

    /// <summary>Drops what the device holds and returns how much that was. The echo reference
    /// of that audio is withdrawn, or a canceller would subtract an echo that never comes.</summary>
    private TimeSpan FlushDevice()
    {
        var at = _clock.GetUtcNow();
        var dropped = _output.Flush();
        _deviceRunsDry = null;
        _report(new PlaybackReferenceCut(at));
        return dropped;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private void OutputFailed(Exception e)
    {
        if (_outputBroken) return;
        _outputBroken = true;
        // From here on audio is skipped, but markers and turn ends still pass, so the
        // conversation carries on with text.
        _report(new PlaybackFailed(_output.Name, e.Message));
    }

    private long HeardPosition(TurnProgress turn, TimeSpan latency) =>
        Math.Max(turn.Heard, turn.Written - Pcm16.SamplesFor(latency, _output.SampleRate));

    private void ReportProgress(TurnProgress turn, long heard)
    {
        Reach(turn, heard);
        _report(new PlaybackProgress(turn.Turn, Pcm16.Duration(turn.Heard, _output.SampleRate), turn.HeardText()));
    }

    private static void Reach(TurnProgress turn, long heard)
    {
        turn.Heard = Math.Max(turn.Heard, heard);
        while (turn.Pending.Count > 0 && turn.Pending[0].Position <= turn.Heard)
        {
            turn.Reached.Add(turn.Pending[0].Text);
            turn.SegmentStart = turn.Pending[0].Position;
            turn.Pending.RemoveAt(0);
        }
    }

    /// <summary>The words of the segment being played when it was cut, in proportion to the
    /// segment's audio heard; known only once the segment's marker (its text) has arrived.</summary>
    private static string PartialSegment(TurnProgress turn, long heard, PendingMarker? upcoming)
    {
        var end = turn.Pending.Count > 0 ? turn.Pending[0] : upcoming;
        if (end is null || end.Position <= turn.SegmentStart) return "";
        var fraction = Math.Clamp((double)(heard - turn.SegmentStart) / (end.Position - turn.SegmentStart), 0, 1);
        var words = end.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', words.Take((int)Math.Floor(words.Length * fraction)));
    }

    private abstract class QueueItem(TurnId turn)
    {
        public TurnId Turn { get; } = turn;
    }

    private sealed class SamplesItem(TurnId turn, short[] samples) : QueueItem(turn)
    {
        private int _offset;

        public int Remaining => samples.Length - _offset;

        public short[] Take(int count)
        {
            var piece = samples.AsSpan(_offset, Math.Min(count, Remaining)).ToArray();
            _offset += piece.Length;
            return piece;
        }
    }

    private sealed class MarkerItem(TurnId turn, string text) : QueueItem(turn)
    {
        public string Text { get; } = text;
    }

    private sealed class EndItem(TurnId turn) : QueueItem(turn);

    private sealed record PendingMarker(long Position, string Text);

    private sealed record StopRequest(TurnId Turn, PendingMarker? Upcoming);

    /// <summary>What has been written and heard of the turn being played, in output samples.</summary>
    private sealed class TurnProgress(TurnId turn)
    {
        public TurnId Turn { get; } = turn;
        public bool Started { get; set; }
        public long Written { get; set; }
        public long Heard { get; set; }
        public long SegmentStart { get; set; }
        public List<PendingMarker> Pending { get; } = new();
        public List<string> Reached { get; } = new();

        public string HeardText(string partial = "") =>
            string.Join(' ', partial.Length > 0 ? Reached.Append(partial) : Reached);
    }
}

using VoiceAgent.Dsp;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Audio.Playback;

/// <summary>One thing for the writer to do; all empty when it only waited for device room.</summary>
internal readonly record struct WriterJob(StopRequest[]? Stops = null, bool PauseFlush = false, QueueItem? Item = null, short[]? Piece = null);

/// <summary>
/// What the player's callers and its writer thread share, under one lock: the queue, the
/// requests to stop and pause, the turn being played and the audio kept for a rewind. Callers
/// change it from any thread; the writer takes one <see cref="WriterJob"/> at a time.
/// </summary>
internal sealed class PlaybackSchedule(int outputRate, int pieceSamples)
{
    // Audio kept after writing, so a pause can put back what the device had not played yet.
    private static readonly TimeSpan RewindLength = TimeSpan.FromSeconds(1);

    private readonly object _gate = new();
    private readonly PlaybackQueue _queue = new(outputRate);
    private readonly List<StopRequest> _stops = new();
    private readonly RewindHistory _history = new(Pcm16.SamplesFor(RewindLength, outputRate));
    private TurnProgress? _current;
    private bool _paused;
    private bool _pauseFlushPending;
    private bool _disposed;

    public bool IsPaused
    {
        get { lock (_gate) return _paused; }
    }

    /// <summary>The turn being played. Only the writer changes it, so the writer reads it without the lock.</summary>
    public TurnProgress? Current => _current;

    /// <summary>Only the writer changes it (see <see cref="Finish"/>).</summary>
    public TurnId FinishedThrough => _queue.FinishedThrough;

    public void Enqueue(AudioChunk chunk)
    {
        lock (_gate)
        {
            if (!_queue.Add(chunk)) return;
            Monitor.PulseAll(_gate);
        }
    }

    public void Complete(TurnId turn)
    {
        lock (_gate)
        {
            if (!_queue.Complete(turn)) return;
            Monitor.PulseAll(_gate);
        }
    }

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

    public void Stop(TurnId turn)
    {
        lock (_gate)
        {
            if (_queue.Drop(turn, _current) is not { } stop) return;
            _stops.Add(stop);
            _paused = false;
            _pauseFlushPending = false;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Ends the writer's loop; false when already ended.</summary>
    public bool Shutdown()
    {
        lock (_gate)
        {
            if (_disposed) return false;
            _disposed = true;
            Monitor.PulseAll(_gate);
            return true;
        }
    }

    /// <summary>
    /// Waits for something to do and takes it: stops first, then a pause's flush, then the next
    /// item (of audio, one piece). Before a piece, <paramref name="waitForRoom"/> says how long
    /// the device needs to make room; then it waits that long (woken by a stop or pause) and
    /// returns an empty job, so the caller looks again. False once shut down.
    /// </summary>
    public bool TryTake(Func<TimeSpan?> waitForRoom, out WriterJob job)
    {
        job = default;
        lock (_gate)
        {
            while (!_disposed && _stops.Count == 0 && !_pauseFlushPending && (_paused || _queue.IsEmpty))
                Monitor.Wait(_gate);
            if (_disposed) return false;
            if (_stops.Count == 0 && !_pauseFlushPending && _queue.NextIsAudio && waitForRoom() is { } wait)
            {
                Monitor.Wait(_gate, wait);
                return true;
            }
            if (_stops.Count > 0)
            {
                job = new WriterJob(Stops: _stops.ToArray());
                _stops.Clear();
            }
            else if (_pauseFlushPending)
            {
                _pauseFlushPending = false;
                job = new WriterJob(PauseFlush: true);
            }
            else
            {
                var item = _queue.TakeNext(pieceSamples, out var piece);
                BeginTurn(item.Turn);
                if (piece is not null) _current!.Written += piece.Length;
                job = new WriterJob(Item: item, Piece: piece);
            }
            return true;
        }
    }

    /// <summary>Keeps a written piece for a rewind.</summary>
    public void Remember(short[] piece)
    {
        lock (_gate) _history.Add(piece);
    }

    /// <summary>The current turn was played to its end; false when it was stopped meanwhile
    /// (the stop reports it).</summary>
    public bool Finish(TurnId turn)
    {
        lock (_gate)
        {
            if (!_queue.Finish(turn)) return false;
            _current = null;
            return true;
        }
    }

    /// <summary>A stopped turn is no longer played.</summary>
    public void EndStopped(TurnProgress stopped)
    {
        lock (_gate)
        {
            if (_current == stopped) _current = null;
            _history.Clear();
        }
    }

    /// <summary>After a pause flushed <paramref name="dropped"/> from the device: puts that audio
    /// back, so nothing is lost on resume.</summary>
    public void PutBackDropped(TimeSpan dropped)
    {
        lock (_gate)
        {
            var current = _current;
            if (current is null || !_paused) return;
            var unheard = (int)Math.Min(Pcm16.SamplesFor(dropped, outputRate), Math.Min(_history.Samples, current.Written));
            if (unheard <= 0) return;
            var rewound = _history.TakeBack(unheard);
            current.Written -= unheard;
            _queue.PutBack(current.Turn, rewound);
        }
    }

    /// <summary>Called under the lock when the writer takes an item: starts the turn's accounting.</summary>
    private void BeginTurn(TurnId turn)
    {
        if (_current?.Turn == turn) return;
        _current = new TurnProgress(turn);
        _history.Clear();
    }
}

namespace VoiceAgent.TtsServer.Synthesis;

/// <summary>
/// Waiting work from many owners (one per session), handed out so that owners take turns: each
/// owner's items leave in the order it added them, one item per turn, so an owner with a hundred
/// queued items delays another owner's first item by at most one item. <see cref="TryTake"/> is
/// thread-safe and blocking, so any number of workers can serve the same queue.
/// <para>First audio first: an item added as <c>firstAudio</c> (the first piece of a session's
/// turn, whose listener hears nothing yet) is taken before the others, which belong to sessions
/// already playing and so have audio in hand. Owners take turns within each of the two classes.
/// A playing session must not run dry either: once the oldest waiting other item has waited
/// <see cref="ContinuationPatience"/>, it goes next whatever first pieces wait.</para>
/// </summary>
public sealed class FairShareQueue<T>
{
    /// <summary>Default for how long a piece of a playing session may be passed over by first
    /// pieces: well under the audio a first piece gives its listener (about a second).</summary>
    public static readonly TimeSpan DefaultContinuationPatience = TimeSpan.FromMilliseconds(500);

    private readonly object _lock = new();
    private readonly Dictionary<object, Queue<Entry>> _byOwner = new(ReferenceEqualityComparer.Instance);
    private readonly Queue<object> _firstAudioTurns = new(); // owners whose next item is a first piece
    private readonly Queue<object> _turns = new();           // owners whose next item is any other
    private readonly Func<long> _clock;
    private readonly long _patienceMs;
    private int _count;
    private bool _completed;

    private readonly record struct Entry(T Item, bool FirstAudio, long Added);

    /// <param name="continuationPatience">How long other items may be passed over by first pieces
    /// (default <see cref="DefaultContinuationPatience"/>).</param>
    /// <param name="clockMs">Milliseconds now (default <see cref="Environment.TickCount64"/>).</param>
    public FairShareQueue(TimeSpan? continuationPatience = null, Func<long>? clockMs = null)
    {
        ContinuationPatience = continuationPatience ?? DefaultContinuationPatience;
        _patienceMs = (long)ContinuationPatience.TotalMilliseconds;
        _clock = clockMs ?? (() => Environment.TickCount64);
    }

    public TimeSpan ContinuationPatience { get; }

    /// <summary>Items waiting, all owners together.</summary>
    public int Count { get { lock (_lock) return _count; } }

    /// <summary>Adds an item at the end of its owner's line. Returns false once <see cref="Complete"/> was called.</summary>
    /// <param name="firstAudio">The first piece of its owner's turn: taken before other owners' other items.</param>
    public bool Add(object owner, T item, bool firstAudio = false)
    {
        lock (_lock)
        {
            if (_completed) return false;
            var entry = new Entry(item, firstAudio, _clock());
            if (!_byOwner.TryGetValue(owner, out var line))
            {
                line = new Queue<Entry>();
                _byOwner[owner] = line;
                TurnsFor(entry).Enqueue(owner);
            }
            line.Enqueue(entry);
            _count++;
            Monitor.Pulse(_lock);
            return true;
        }
    }

    /// <summary>Waits for the next item in turn; false when the queue is completed and empty.</summary>
    public bool TryTake(out T item)
    {
        lock (_lock)
        {
            while (_firstAudioTurns.Count == 0 && _turns.Count == 0)
            {
                if (_completed)
                {
                    item = default!;
                    return false;
                }
                Monitor.Wait(_lock);
            }
            var owner = NextTurns().Dequeue();
            var line = _byOwner[owner];
            item = line.Dequeue().Item;
            _count--;
            if (line.Count > 0) TurnsFor(line.Peek()).Enqueue(owner); // its next item waits for everyone else's turn
            else _byOwner.Remove(owner);
            return true;
        }
    }

    /// <summary>First pieces, unless none waits or a playing session's piece has waited too long.</summary>
    private Queue<object> NextTurns()
    {
        if (_firstAudioTurns.Count == 0) return _turns;
        if (_turns.Count == 0) return _firstAudioTurns;
        var oldest = _byOwner[_turns.Peek()].Peek();
        return _clock() - oldest.Added >= _patienceMs ? _turns : _firstAudioTurns;
    }

    private Queue<object> TurnsFor(Entry entry) => entry.FirstAudio ? _firstAudioTurns : _turns;

    /// <summary>No more items; waiting takers return once the queue is empty.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            _completed = true;
            Monitor.PulseAll(_lock);
        }
    }
}

namespace VoiceAgent.TtsServer.Synthesis;

/// <summary>How soon queued work is needed, most urgent first.</summary>
public enum Urgency
{
    /// <summary>A turn's first audio frame waits for it: its listener hears nothing yet.</summary>
    FirstFrame,
    /// <summary>The rest of a turn's first piece: its listener has a moment of audio in hand.</summary>
    FirstPiece,
    /// <summary>Audio of a turn already playing.</summary>
    Later,
}

/// <summary>
/// Waiting work from many owners (one per session), handed out so that owners take turns: each
/// owner's items leave in the order it added them, one item per turn, so an owner with a hundred
/// queued items delays another owner's first item by at most one item. <see cref="TryTake"/> is
/// thread-safe and blocking, so any number of workers can serve the same queue.
/// <para>First audio first: items carry an <see cref="Urgency"/>, and a more urgent item (the
/// first audio of a session's turn, whose listener hears nothing yet) is taken before less urgent
/// ones (sessions already playing have audio in hand). Owners take turns within each urgency; an
/// owner's line keeps its order, its next item counting with that item's urgency. A playing
/// session must not run dry either: once the oldest waiting <see cref="Urgency.Later"/> item has
/// waited <see cref="ContinuationPatience"/>, it goes next whatever else waits.</para>
/// </summary>
public sealed class FairShareQueue<T>
{
    /// <summary>Default for how long a piece of a playing session may be passed over by first
    /// pieces: well under the audio a first piece gives its listener (about a second).</summary>
    public static readonly TimeSpan DefaultContinuationPatience = TimeSpan.FromMilliseconds(500);

    private readonly object _lock = new();
    private readonly Dictionary<object, Queue<Entry>> _byOwner = new(ReferenceEqualityComparer.Instance);
    // Owners with waiting items, next turn first, by the urgency of their next item.
    private readonly Queue<object>[] _turns = [new(), new(), new()];
    private readonly Func<long> _clock;
    private readonly long _patienceMs;
    private int _count;
    private bool _completed;

    private readonly record struct Entry(T Item, Urgency Urgency, long Added);

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
    /// <param name="firstAudio">The first piece of its owner's turn (<see cref="Urgency.FirstFrame"/>):
    /// taken before other owners' other items.</param>
    public bool Add(object owner, T item, bool firstAudio = false) => Add(owner, item, firstAudio ? Urgency.FirstFrame : Urgency.Later);

    /// <summary>Adds an item at the end of its owner's line. Returns false once <see cref="Complete"/> was called.</summary>
    public bool Add(object owner, T item, Urgency urgency)
    {
        lock (_lock)
        {
            if (_completed) return false;
            var entry = new Entry(item, urgency, _clock());
            if (!_byOwner.TryGetValue(owner, out var line))
            {
                line = new Queue<Entry>();
                _byOwner[owner] = line;
                _turns[(int)urgency].Enqueue(owner);
            }
            line.Enqueue(entry);
            _count++;
            Monitor.PulseAll(_lock); // takers may differ in what they take
            return true;
        }
    }

    /// <summary>Waits for the next item in turn; false when the queue is completed and empty.</summary>
    public bool TryTake(out T item) => TryTake(Urgency.Later, out item);

    /// <summary>Waits for the next item in turn of at least <paramref name="atLeast"/> urgency (a
    /// taker kept free for first audio takes only that); false when the queue is completed and
    /// has no such item.</summary>
    public bool TryTake(Urgency atLeast, out T item)
    {
        lock (_lock)
        {
            Queue<object>? turns;
            while ((turns = NextTurns(atLeast)) is null)
            {
                if (_completed)
                {
                    item = default!;
                    return false;
                }
                Monitor.Wait(_lock);
            }
            var owner = turns.Dequeue();
            var line = _byOwner[owner];
            item = line.Dequeue().Item;
            _count--;
            if (line.Count > 0) _turns[(int)line.Peek().Urgency].Enqueue(owner); // its next item waits for everyone else's turn
            else _byOwner.Remove(owner);
            return true;
        }
    }

    /// <summary>The most urgent turns, unless a playing session's item has waited too long; null
    /// when nothing of the urgency asked for waits.</summary>
    private Queue<object>? NextTurns(Urgency atLeast)
    {
        var later = _turns[(int)Urgency.Later];
        if (atLeast == Urgency.Later && later.Count > 0 && _clock() - _byOwner[later.Peek()].Peek().Added >= _patienceMs) return later;
        for (var urgency = 0; urgency <= (int)atLeast; urgency++)
            if (_turns[urgency].Count > 0) return _turns[urgency];
        return null;
    }

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

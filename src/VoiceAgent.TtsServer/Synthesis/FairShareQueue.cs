namespace VoiceAgent.TtsServer.Synthesis;

/// <summary>
/// Waiting work from many owners (one per session), handed out so that owners take turns: each
/// owner's items leave in the order it added them, one item per turn, so an owner with a hundred
/// queued items delays another owner's first item by at most one item. <see cref="TryTake"/> is
/// thread-safe and blocking, so any number of workers can serve the same queue.
/// </summary>
public sealed class FairShareQueue<T>
{
    private readonly object _lock = new();
    private readonly Dictionary<object, Queue<T>> _byOwner = new(ReferenceEqualityComparer.Instance);
    private readonly Queue<object> _turns = new(); // owners with waiting items, next turn first
    private int _count;
    private bool _completed;

    /// <summary>Items waiting, all owners together.</summary>
    public int Count { get { lock (_lock) return _count; } }

    /// <summary>Adds an item at the end of its owner's line. Returns false once <see cref="Complete"/> was called.</summary>
    public bool Add(object owner, T item)
    {
        lock (_lock)
        {
            if (_completed) return false;
            if (!_byOwner.TryGetValue(owner, out var line))
            {
                line = new Queue<T>();
                _byOwner[owner] = line;
                _turns.Enqueue(owner);
            }
            line.Enqueue(item);
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
            while (_turns.Count == 0)
            {
                if (_completed)
                {
                    item = default!;
                    return false;
                }
                Monitor.Wait(_lock);
            }
            var owner = _turns.Dequeue();
            var line = _byOwner[owner];
            item = line.Dequeue();
            _count--;
            if (line.Count > 0) _turns.Enqueue(owner); // its next item waits for everyone else's turn
            else _byOwner.Remove(owner);
            return true;
        }
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

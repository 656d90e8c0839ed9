namespace VoiceAgent.Listening.Recognition;

/// <summary>
/// Decoders that serve one call at a time (a whisper.cpp state, a PocketSphinx decoder), lent out
/// one per utterance: an idle one is reused, and when all are busy a new one is made, so a new
/// utterance never waits behind a slow one. At most <c>keepIdle</c> are kept afterwards.
/// </summary>
internal sealed class EnginePool<T>(T first, Func<T> create, int keepIdle = 2) : IDisposable where T : class, IDisposable
{
    private readonly Stack<T> _idle = new([first]);
    private readonly object _gate = new();
    private bool _disposed;

    public T Rent()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_idle.TryPop(out var idle)) return idle;
        }
        return create();
    }

    /// <summary>Takes a decoder back; one that may be in a bad state (a cancelled call) is not returned but disposed by the caller.</summary>
    public void Return(T item)
    {
        lock (_gate)
        {
            if (!_disposed && _idle.Count < keepIdle)
            {
                _idle.Push(item);
                return;
            }
        }
        item.Dispose();
    }

    public void Dispose()
    {
        T[] idle;
        lock (_gate)
        {
            _disposed = true;
            idle = _idle.ToArray();
            _idle.Clear();
        }
        foreach (var item in idle) item.Dispose();
    }
}

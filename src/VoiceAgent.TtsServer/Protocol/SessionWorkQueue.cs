using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace VoiceAgent.TtsServer.Protocol;

/// <summary>Work the reader hands to the session's pipeline, in the order of the client's frames.</summary>
internal abstract record SessionWork
{
    public sealed record Speak(Segment Segment) : SessionWork;

    /// <summary>After a frame that completed or flushed text: say "final" if nothing is left.</summary>
    public sealed record Checkpoint(int Generation, bool Flushed) : SessionWork;

    public sealed record EndOfInput : SessionWork;
}

/// <summary>
/// The queue between a session's reader and its pipeline. It counts what it holds (a channel
/// cannot count itself): work not yet taken, segments not yet spoken and their characters, the
/// last for back-pressure on the reader.
/// </summary>
internal sealed class SessionWorkQueue(long maxQueuedChars)
{
    private readonly Channel<SessionWork> _work = Channel.CreateUnbounded<SessionWork>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private int _pendingSegments;
    private int _queuedWork;
    private long _queuedChars;
    private TaskCompletionSource _drained = NewSignal();

    /// <summary>Segments queued or being spoken.</summary>
    public int PendingSegments => Volatile.Read(ref _pendingSegments);

    /// <summary>Work handed over but not yet taken by the pipeline.</summary>
    public bool HasQueuedWork => Volatile.Read(ref _queuedWork) > 0;

    /// <summary>More than <c>max-queued-chars</c> wait for synthesis.</summary>
    public bool IsOverfull => Interlocked.Read(ref _queuedChars) > maxQueuedChars;

    /// <summary>Queues each piece of text as a segment of the given work.</summary>
    public void Enqueue(List<string> spoken, int generation, CancellationToken workCancellation)
    {
        foreach (var text in spoken)
        {
            Interlocked.Increment(ref _pendingSegments);
            Interlocked.Add(ref _queuedChars, text.Length);
            Add(new SessionWork.Speak(new Segment(generation, text, workCancellation)));
        }
    }

    public void Add(SessionWork work)
    {
        Interlocked.Increment(ref _queuedWork);
        if (!_work.Writer.TryWrite(work)) Interlocked.Decrement(ref _queuedWork);
    }

    /// <summary>No more work comes; the pipeline ends once it has taken what is queued.</summary>
    public void Complete() => _work.Writer.TryComplete();

    public async IAsyncEnumerable<SessionWork> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellation)
    {
        await foreach (var work in _work.Reader.ReadAllAsync(cancellation))
        {
            Interlocked.Decrement(ref _queuedWork);
            yield return work;
        }
    }

    /// <summary>A segment was spoken or dropped: its characters no longer hold the reader back.</summary>
    public void SegmentDone(Segment segment)
    {
        Interlocked.Decrement(ref _pendingSegments);
        Interlocked.Add(ref _queuedChars, -segment.Text.Length);
        Interlocked.Exchange(ref _drained, NewSignal()).TrySetResult();
    }

    /// <summary>Returns once no more than <c>max-queued-chars</c> wait for synthesis.</summary>
    public async Task WaitForRoomAsync(CancellationToken cancellation)
    {
        while (IsOverfull)
        {
            // Take the signal before checking again, so a segment finished in between is not missed.
            var drained = Volatile.Read(ref _drained).Task;
            if (!IsOverfull) break;
            await drained.WaitAsync(cancellation);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

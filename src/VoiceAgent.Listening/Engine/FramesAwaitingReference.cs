using VoiceAgent.Dsp;

namespace VoiceAgent.Listening.Engine;

/// <summary>A capture frame kept back until its echo reference has come.</summary>
internal sealed record HeldFrame(short[] Samples, TimeSpan Position, bool IncludeWindows)
{
    public long First => Pcm16.SampleAt(Position, ListeningEngine.SampleRate);

    public long End => First + Samples.Length;
}

/// <summary>
/// Capture frames waiting for their echo reference, in capture order, for at most
/// <paramref name="maxWaitSamples"/> of capture time (the oldest to the newest): a frame goes
/// once its reference is there or cannot be expected, or when waiting longer would hold up
/// the frames behind it.
/// </summary>
internal sealed class FramesAwaitingReference(long maxWaitSamples)
{
    private readonly Queue<HeldFrame> _frames = new();

    public int Count => _frames.Count;

    public void Add(HeldFrame frame) => _frames.Enqueue(frame);

    /// <summary>Hands the held frames to <paramref name="process"/>, oldest first, as long as
    /// their reference is there or cannot be expected (<paramref name="awaitsReference"/>), or
    /// they waited as long as they may (then with <c>referenceMissing</c> set).
    /// Returns what they led to.</summary>
    public IReadOnlyList<ListeningEvent> Release(Func<HeldFrame, bool> awaitsReference, Func<HeldFrame, bool, IReadOnlyList<ListeningEvent>> process)
    {
        List<ListeningEvent>? events = null;
        while (_frames.TryPeek(out var next))
        {
            var awaits = awaitsReference(next);
            if (awaits && Span() < maxWaitSamples) break;
            _frames.Dequeue();
            var produced = process(next, awaits);
            if (produced.Count > 0) (events ??= []).AddRange(produced);
        }
        return events ?? (IReadOnlyList<ListeningEvent>)[];
    }

    /// <summary>Hands every held frame to <paramref name="process"/>, whether its reference came or not.</summary>
    public List<ListeningEvent> ReleaseAll(Func<HeldFrame, bool, IReadOnlyList<ListeningEvent>> process)
    {
        var events = new List<ListeningEvent>();
        while (_frames.TryDequeue(out var next)) events.AddRange(process(next, false));
        return events;
    }

    /// <summary>Capture time covered by the held frames, in samples.</summary>
    private long Span()
    {
        var oldest = _frames.Peek();
        long newestEnd = 0;
        foreach (var frame in _frames) newestEnd = frame.End;
        return newestEnd - oldest.First;
    }
}

using VoiceAgent.TtsServer.Synthesis;

namespace VoiceAgent.TtsServer.Audio;

/// <summary>
/// The sessions' CPU-heavy audio work (resampling, MP3 encoding) on threads of its own, in a
/// <see cref="FairShareQueue{T}"/>: sessions take turns, and work for a turn's first audio goes
/// before work for audio that follows. One thread takes first-audio work only, so a first block
/// never waits behind a playing session's sentence; the others take anything, most urgent first.
/// Few threads on purpose: on the shared thread pool, with many sessions at once, every session's
/// encoding would run at the same moment, and the synthesis processes, which first audio waits
/// for, would get a small share of the cores.
/// </summary>
internal sealed class AudioWorkLane : IDisposable
{
    private readonly FairShareQueue<Action> _queue = new();
    private readonly List<Thread> _threads = [];

    /// <param name="threads">Threads that take any work, besides the one kept for first audio.</param>
    public AudioWorkLane(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Start("tts-audio-first", Urgency.FirstPiece);
        for (var i = 0; i < threads; i++) Start($"tts-audio-{i}", Urgency.Later);
    }

    private void Start(string name, Urgency atLeast)
    {
        var thread = new Thread(() => Serve(atLeast)) { IsBackground = true, Name = name };
        _threads.Add(thread);
        thread.Start();
    }

    /// <summary>Runs <paramref name="work"/> in <paramref name="owner"/>'s turn, more urgent work
    /// of other owners first.</summary>
    public Task<T> RunAsync<T>(object owner, Func<T> work, Urgency urgency, CancellationToken cancellation)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var queued = _queue.Add(owner, () =>
        {
            if (cancellation.IsCancellationRequested)
            {
                done.TrySetCanceled(cancellation);
                return;
            }
            try
            {
                done.TrySetResult(work());
            }
            catch (Exception e)
            {
                done.TrySetException(e);
            }
        }, urgency);
        if (!queued) done.TrySetException(new ObjectDisposedException(nameof(AudioWorkLane), "the TTS server is stopping"));
        return done.Task;
    }

    private void Serve(Urgency atLeast)
    {
        while (_queue.TryTake(atLeast, out var job)) job();
    }

    /// <summary>Jobs already queued still run (their sessions are being closed); then the threads end.</summary>
    public void Dispose() => _queue.Complete();
}

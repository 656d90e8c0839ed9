using VoiceAgent.TtsServer.Synthesis;

namespace VoiceAgent.TtsServer.Audio;

/// <summary>
/// The sessions' CPU-heavy audio work (resampling, MP3 encoding) on threads of its own, one per
/// core, in a <see cref="FairShareQueue{T}"/>: sessions take turns, and work for a first audio
/// frame (a turn whose listener hears nothing yet) goes before work for audio that follows.
/// On the shared thread pool, with many sessions at once, the audio still to come of playing
/// sessions would hold the pool's few threads while the first blocks of new turns, and the
/// sockets' own continuations, wait behind it.
/// </summary>
internal sealed class AudioWorkLane : IDisposable
{
    private readonly FairShareQueue<Action> _queue = new();
    private readonly List<Thread> _threads = [];

    public AudioWorkLane(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        for (var i = 0; i < threads; i++)
        {
            var thread = new Thread(Serve) { IsBackground = true, Name = $"tts-audio-{i}" };
            _threads.Add(thread);
            thread.Start();
        }
    }

    /// <summary>Runs <paramref name="work"/> in <paramref name="owner"/>'s turn; a
    /// <paramref name="firstAudio"/> job goes before other owners' other jobs.</summary>
    public Task<T> RunAsync<T>(object owner, Func<T> work, bool firstAudio, CancellationToken cancellation)
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
        }, firstAudio);
        if (!queued) done.TrySetException(new ObjectDisposedException(nameof(AudioWorkLane), "the TTS server is stopping"));
        return done.Task;
    }

    private void Serve()
    {
        while (_queue.TryTake(out var job)) job();
    }

    /// <summary>Jobs already queued still run (their sessions are being closed); then the threads end.</summary>
    public void Dispose() => _queue.Complete();
}

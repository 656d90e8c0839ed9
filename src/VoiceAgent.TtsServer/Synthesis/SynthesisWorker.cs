using System.Collections.Concurrent;

namespace VoiceAgent.TtsServer.Synthesis;

/// <summary>
/// The one thread that talks to the speech engine. Requests wait in one FIFO queue; since every
/// session has at most one request in flight (it synthesizes its segments in order), FIFO order
/// is round-robin across sessions: a session with a long text cannot starve the others.
/// A request cancelled while queued is dropped without touching the engine; one cancelled while
/// running is aborted from the engine's callback.
/// </summary>
public sealed class SynthesisWorker : IDisposable
{
    private static readonly Lazy<SynthesisWorker> SharedWorker = new(() => new SynthesisWorker(EspeakEngine.Create));

    private readonly BlockingCollection<Job> _queue = new();
    private readonly TaskCompletionSource<ISpeechEngine> _engine = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Thread _thread;
    private int _queued;

    private sealed record Job(SynthesisRequest Request, TaskCompletionSource<short[]> Result, CancellationToken Cancellation);

    /// <summary>Creates the engine on the worker's own thread, so every engine call comes from it.</summary>
    public SynthesisWorker(Func<ISpeechEngine> createEngine)
    {
        _thread = new Thread(() => Run(createEngine)) { IsBackground = true, Name = "speech-synthesis" };
        _thread.Start();
    }

    /// <summary>The process-wide espeak-ng worker (espeak-ng is one engine per process).</summary>
    public static SynthesisWorker Shared => SharedWorker.Value;

    /// <summary>Completes when the engine is loaded; faults with a clear message when it cannot be.</summary>
    public Task<ISpeechEngine> Engine => _engine.Task;

    /// <summary>Requests waiting or running.</summary>
    public int Pending => Volatile.Read(ref _queued);

    public Task<short[]> SynthesizeAsync(SynthesisRequest request, CancellationToken cancellation)
    {
        if (cancellation.IsCancellationRequested) return Task.FromCanceled<short[]>(cancellation);
        var result = new TaskCompletionSource<short[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Increment(ref _queued);
        try
        {
            _queue.Add(new Job(request, result, cancellation));
        }
        catch (InvalidOperationException)
        {
            Interlocked.Decrement(ref _queued);
            return Task.FromException<short[]>(new ObjectDisposedException(nameof(SynthesisWorker)));
        }
        // A queued request that is cancelled completes at once; the worker skips it later.
        cancellation.Register(() => result.TrySetCanceled(cancellation));
        return result.Task;
    }

    private void Run(Func<ISpeechEngine> createEngine)
    {
        ISpeechEngine engine;
        try
        {
            engine = createEngine();
            _engine.SetResult(engine);
        }
        catch (Exception e)
        {
            _engine.SetException(e);
            foreach (var job in _queue.GetConsumingEnumerable())
            {
                Interlocked.Decrement(ref _queued);
                job.Result.TrySetException(e);
            }
            return;
        }

        foreach (var job in _queue.GetConsumingEnumerable())
        {
            try
            {
                if (job.Cancellation.IsCancellationRequested || job.Result.Task.IsCompleted) continue;
                var samples = engine.Synthesize(job.Request, job.Cancellation);
                job.Result.TrySetResult(samples);
            }
            catch (OperationCanceledException)
            {
                job.Result.TrySetCanceled(job.Cancellation);
            }
            catch (Exception e)
            {
                job.Result.TrySetException(e);
            }
            finally
            {
                Interlocked.Decrement(ref _queued);
            }
        }
    }

    public void Dispose() => _queue.CompleteAdding();
}

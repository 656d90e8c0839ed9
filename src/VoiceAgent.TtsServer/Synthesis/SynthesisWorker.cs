namespace VoiceAgent.TtsServer.Synthesis;

/// <summary>
/// The one thread that talks to the speech engine (espeak-ng is one engine per process). Requests
/// wait in a <see cref="FairShareQueue{T}"/> keyed by their owner (a session), so sessions take
/// turns request by request: a session with a long text cannot starve the others. Audio streams
/// out of each request as the engine makes it (<see cref="SynthesisStream"/>).
/// A request cancelled while queued is dropped without touching the engine; one cancelled while
/// running is aborted from the engine's callback.
/// </summary>
public sealed class SynthesisWorker : ISynthesizer, IDisposable
{
    private static readonly Lazy<SynthesisWorker> SharedWorker = new(() => new SynthesisWorker(EspeakEngine.Create));

    private readonly FairShareQueue<Job> _queue = new();
    private readonly TaskCompletionSource<ISpeechEngine> _engine = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Thread _thread;
    private int _queued;

    private sealed record Job(SynthesisRequest Request, SynthesisStream Stream, CancellationToken Cancellation);

    /// <summary>Creates the engine on the worker's own thread, so every engine call comes from it.</summary>
    public SynthesisWorker(Func<ISpeechEngine> createEngine)
    {
        _thread = new Thread(() => Run(createEngine)) { IsBackground = true, Name = "speech-synthesis" };
        _thread.Start();
    }

    /// <summary>The process-wide espeak-ng worker.</summary>
    public static SynthesisWorker Shared => SharedWorker.Value;

    /// <summary>Completes when the engine is loaded; faults with a clear message when it cannot be.</summary>
    public Task<ISpeechEngine> Engine => _engine.Task;

    /// <summary>The engine's rate; read it once <see cref="Engine"/> has completed.</summary>
    public int SampleRate => _engine.Task.Result.SampleRate;

    /// <summary>The engine's voices; read them once <see cref="Engine"/> has completed.</summary>
    public IReadOnlyList<EspeakVoice> Voices => _engine.Task.Result.Voices;

    /// <summary>Requests waiting or running.</summary>
    public int Pending => Volatile.Read(ref _queued);

    /// <summary>One engine: one request at a time.</summary>
    public int Engines => 1;

    /// <summary>Queues a request behind the other owners' turns and returns its audio stream at
    /// once. <paramref name="maxSamples"/> caps the audio of this one request.</summary>
    /// <param name="owner">Whose turn this is (a session); requests of one owner run in order.</param>
    /// <param name="firstAudio">The first piece of the owner's turn: it goes before other owners' later pieces.</param>
    public SynthesisStream Start(SynthesisRequest request, object owner, CancellationToken cancellation, long maxSamples = long.MaxValue, bool firstAudio = false)
    {
        var stream = new SynthesisStream(maxSamples);
        if (_engine.Task.IsFaulted)
        {
            stream.Complete(_engine.Task.Exception!.InnerException);
            return stream;
        }
        Interlocked.Increment(ref _queued);
        if (!_queue.Add(owner, new Job(request, stream, cancellation), firstAudio))
        {
            Interlocked.Decrement(ref _queued);
            stream.Complete(new ObjectDisposedException(nameof(SynthesisWorker)));
        }
        return stream;
    }

    /// <summary>All of one request's audio at once (tests and tools; sessions stream).</summary>
    public Task<short[]> SynthesizeAsync(SynthesisRequest request, CancellationToken cancellation, object? owner = null) =>
        Start(request, owner ?? new object(), cancellation).ReadAllAsync(cancellation);

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
            _queue.Complete();
            while (_queue.TryTake(out var job))
            {
                Interlocked.Decrement(ref _queued);
                job.Stream.Complete(e);
            }
            return;
        }

        while (_queue.TryTake(out var job))
        {
            try
            {
                job.Cancellation.ThrowIfCancellationRequested();
                job.Stream.MarkTaken();
                engine.Synthesize(job.Request, job.Stream.Write, job.Cancellation);
                job.Stream.Complete();
            }
            catch (Exception e)
            {
                // Cancellation included: the reader sees why its stream ended.
                job.Stream.Complete(e);
            }
            finally
            {
                Interlocked.Decrement(ref _queued);
            }
        }
    }

    public void Dispose() => _queue.Complete();
}

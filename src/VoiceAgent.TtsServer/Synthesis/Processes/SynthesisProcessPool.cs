using Microsoft.Extensions.Logging;

namespace VoiceAgent.TtsServer.Synthesis.Processes;

/// <summary>
/// Synthesis on every core: espeak-ng is one engine per process, so the pool runs that many
/// worker processes (<c>tts-server.synthesis-processes</c>), each served by one thread here that
/// takes the next request from a shared <see cref="FairShareQueue{T}"/> (sessions take turns),
/// sends it to its worker and passes the worker's sample blocks to the request's
/// <see cref="SynthesisStream"/> as they arrive. A worker that dies fails the one request it was
/// running with a clear error and is started again; a cancelled request is stopped inside its
/// worker (<see cref="WorkerExchange"/>). Disposing
/// closes the workers' input (they end by themselves) and kills any that linger.
/// </summary>
public sealed class SynthesisProcessPool : ISynthesizer, IDisposable
{
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RestartPause = TimeSpan.FromSeconds(1);

    private readonly FairShareQueue<SynthesisJob> _queue = new();
    private readonly WorkerExchange _exchange = new();
    private readonly WorkerExecutable _executable;
    private readonly ILogger _log;
    private readonly WorkerProcess?[] _workers;
    private readonly List<Thread> _threads = [];
    private volatile bool _disposed;
    private int _queued;
    private readonly TimeSpan _stallTimeout;
    private readonly Timer _watchdog;
    // Per slot: when the worker last said anything about the request it runs (Environment.TickCount64), 0 when idle.
    private readonly long[] _lastProgress;

    private SynthesisProcessPool(WorkerExecutable executable, WorkerProcess[] workers, TimeSpan stallTimeout, ILogger log)
    {
        _stallTimeout = stallTimeout;
        _lastProgress = new long[workers.Length];
        _watchdog = new Timer(_ => EndStalledWorkers(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        _executable = executable;
        _workers = workers;
        _log = log;
        SampleRate = workers[0].SampleRate;
        Voices = workers[0].Voices;
        for (var slot = 0; slot < workers.Length; slot++)
        {
            var index = slot;
            var thread = new Thread(() => Serve(index)) { IsBackground = true, Name = $"synthesis-process-{index}" };
            _threads.Add(thread);
            thread.Start();
        }
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>True when the worker program is installed beside this one.</summary>
    public static bool WorkerAvailable => WorkerExecutable.Find() is not null;

    /// <summary>One per core.</summary>
    public static int DefaultSize => Environment.ProcessorCount;

    /// <summary>Starts <paramref name="size"/> workers at once and waits for all of them. Returns
    /// null when the worker program is not installed beside this one; throws
    /// <see cref="SpeechEngineUnavailableException"/> when espeak-ng cannot run.</summary>
    /// <param name="stallTimeout">A worker that says nothing for this long while it runs a request
    /// is stuck (espeak-ng produces a block per 200 ms of speech, far faster than real time): it is
    /// killed, the request fails and a new worker takes its place.</param>
    public static async Task<SynthesisProcessPool?> StartAsync(int size, TimeSpan stallTimeout, ILogger log, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var executable = WorkerExecutable.Find();
        if (executable is null) return null;
        var starting = Enumerable.Range(0, size).Select(_ => WorkerProcess.ConnectAsync(executable, StartPatience, cancellation)).ToList();
        try
        {
            var workers = await Task.WhenAll(starting);
            return new SynthesisProcessPool(executable, workers, stallTimeout, log);
        }
        catch
        {
            foreach (var task in starting.Where(t => t.IsCompletedSuccessfully)) task.Result.Dispose();
            throw;
        }
    }

    public int SampleRate { get; }

    public IReadOnlyList<EspeakVoice> Voices { get; }

    public int Size => _workers.Length;

    public int Pending => Volatile.Read(ref _queued);

    /// <summary>Process ids of the running workers (for checks that none is left behind).</summary>
    public IReadOnlyList<int> ProcessIds
    {
        get
        {
            lock (_workers) return _workers.Where(w => w is not null).Select(w => w!.Id).ToList();
        }
    }

    public int Engines => _workers.Length;

    public SynthesisStream Start(SynthesisRequest request, object owner, CancellationToken cancellation, long maxSamples = long.MaxValue, bool firstAudio = false)
    {
        var stream = new SynthesisStream(maxSamples);
        Interlocked.Increment(ref _queued);
        if (_disposed || !_queue.Add(owner, new SynthesisJob(request, stream, cancellation), firstAudio))
        {
            Interlocked.Decrement(ref _queued);
            stream.Complete(new ObjectDisposedException(nameof(SynthesisProcessPool), "the TTS server is stopping"));
        }
        return stream;
    }

    /// <summary>One thread per worker: take a request in turn, run it on this worker; restart the
    /// worker when it dies.</summary>
    private void Serve(int slot)
    {
        while (_queue.TryTake(out var job))
        {
            try
            {
                if (_disposed)
                {
                    job.Stream.Complete(new ObjectDisposedException(nameof(SynthesisProcessPool), "the TTS server is stopping"));
                    continue;
                }
                if (job.Cancellation.IsCancellationRequested)
                {
                    job.Stream.Complete(new OperationCanceledException(job.Cancellation));
                    continue;
                }
                var worker = WorkerIn(slot);
                if (worker is null)
                {
                    job.Stream.Complete(new SynthesisWorkerFailedException("the speech synthesis process could not be restarted; the server log says why"));
                    continue;
                }
                try
                {
                    Volatile.Write(ref _lastProgress[slot], Environment.TickCount64);
                    job.Stream.MarkTaken();
                    _exchange.Run(worker, job, ref _lastProgress[slot]);
                }
                catch (Exception e)
                {
                    // The worker died, or the exchange with it broke: its state is unknown, so
                    // this request fails and the worker is replaced.
                    if (_disposed)
                    {
                        job.Stream.Complete(new ObjectDisposedException(nameof(SynthesisProcessPool), "the TTS server is stopping"));
                        continue;
                    }
                    worker.Stop(TimeSpan.FromMilliseconds(200));
                    var cancelled = job.Cancellation.IsCancellationRequested;
                    if (!cancelled)
                        _log.LogWarning("TTS synthesis process {Pid} failed ({Exit}: {Reason}); its segment failed and a new process is started", worker.Id, worker.ExitDescription, e.Message);
                    job.Stream.Complete(cancelled
                        ? new OperationCanceledException(job.Cancellation)
                        : new SynthesisWorkerFailedException($"the speech synthesis process ended unexpectedly ({worker.ExitDescription}) while speaking this segment"));
                    Replace(slot, worker);
                }
            }
            finally
            {
                Volatile.Write(ref _lastProgress[slot], 0);
                Interlocked.Decrement(ref _queued);
            }
        }
    }

    private WorkerProcess? WorkerIn(int slot)
    {
        lock (_workers) return _workers[slot];
    }

    /// <summary>Starts a new worker in the dead one's slot; on failure the slot stays empty for a
    /// moment (its requests fail with a clear error) and the next request tries again.</summary>
    private void Replace(int slot, WorkerProcess dead)
    {
        dead.Dispose();
        WorkerProcess? fresh = null;
        try
        {
            fresh = WorkerProcess.ConnectAsync(_executable, StartPatience, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            _log.LogError("TTS synthesis process could not be restarted: {Reason}", e.Message);
            Thread.Sleep(RestartPause);
        }
        lock (_workers)
        {
            if (_disposed)
            {
                fresh?.Dispose();
                _workers[slot] = null;
                return;
            }
            _workers[slot] = fresh;
        }
        if (fresh is null) ThreadPool.QueueUserWorkItem(_ => RetryLater(slot));
    }

    private void RetryLater(int slot)
    {
        while (!_disposed)
        {
            Thread.Sleep(RestartPause);
            if (_disposed) return;
            try
            {
                var fresh = WorkerProcess.ConnectAsync(_executable, StartPatience, CancellationToken.None).GetAwaiter().GetResult();
                lock (_workers)
                {
                    if (_disposed || _workers[slot] is not null) fresh.Dispose();
                    else _workers[slot] = fresh;
                }
                return;
            }
            catch (Exception e)
            {
                _log.LogError("TTS synthesis process could not be restarted: {Reason}", e.Message);
            }
        }
    }

    /// <summary>Kills a worker that has been silent too long on a request (frozen, or stuck in
    /// espeak-ng): its thread then sees the end of its output, fails the request and replaces it.</summary>
    private void EndStalledWorkers()
    {
        var now = Environment.TickCount64;
        for (var slot = 0; slot < _lastProgress.Length; slot++)
        {
            var last = Volatile.Read(ref _lastProgress[slot]);
            if (last == 0 || now - last < _stallTimeout.TotalMilliseconds) continue;
            var worker = WorkerIn(slot);
            if (worker is null) continue;
            _log.LogWarning("TTS synthesis process {Pid} said nothing for {Seconds:0} s while speaking: ending it", worker.Id, _stallTimeout.TotalSeconds);
            Volatile.Write(ref _lastProgress[slot], 0);
            worker.Kill();
        }
    }

    private void OnProcessExit(object? sender, EventArgs e) => Dispose();

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        _watchdog.Dispose();
        _queue.Complete();
        WorkerProcess?[] workers;
        lock (_workers) workers = [.. _workers];
        foreach (var worker in workers) worker?.Stop(TimeSpan.FromMilliseconds(500));
        foreach (var thread in _threads) thread.Join(TimeSpan.FromSeconds(2));
        foreach (var worker in workers) worker?.Dispose();
    }
}

/// <summary>A synthesis worker process failed; the request it ran cannot complete.</summary>
public sealed class SynthesisWorkerFailedException(string message) : Exception(message);

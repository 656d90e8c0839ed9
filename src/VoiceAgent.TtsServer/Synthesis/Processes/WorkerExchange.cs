namespace VoiceAgent.TtsServer.Synthesis.Processes;

/// <summary>A request waiting for a worker, with the stream its audio goes to.</summary>
internal sealed record SynthesisJob(SynthesisRequest Request, SynthesisStream Stream, CancellationToken Cancellation);

/// <summary>
/// One request on one worker: sends it, relays the worker's sample blocks to the request's stream
/// until the worker says it is over, and stops the work inside the worker when the request is
/// cancelled (killing a worker that does not stop within <see cref="CancelGrace"/>). Any exchange
/// that breaks throws: the worker's state is then unknown.
/// </summary>
internal sealed class WorkerExchange
{
    public static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(2);

    private int _jobIds;

    /// <param name="lastProgress">Set whenever the worker says anything (Environment.TickCount64),
    /// for the pool's stall watchdog.</param>
    public void Run(WorkerProcess worker, SynthesisJob job, ref long lastProgress)
    {
        var id = Interlocked.Increment(ref _jobIds);
        var finished = 0;
        worker.Speak(id, job.Request);
        using var cancelled = job.Cancellation.Register(() =>
        {
            worker.Cancel(id);
            // A worker stuck inside espeak-ng would hold its slot forever: end it (it is restarted).
            _ = Task.Delay(CancelGrace).ContinueWith(_ => { if (Volatile.Read(ref finished) == 0) worker.Kill(); }, TaskScheduler.Default);
        });
        try
        {
            Relay(worker, job, id, ref lastProgress);
        }
        finally
        {
            Volatile.Write(ref finished, 1);
        }
    }

    private static void Relay(WorkerProcess worker, SynthesisJob job, int id, ref long lastProgress)
    {
        var stopped = false;
        while (true)
        {
            var kind = worker.Output.ReadByte();
            Volatile.Write(ref lastProgress, Environment.TickCount64);
            var jobId = worker.Output.ReadInt32();
            if (jobId != id) throw new InvalidDataException($"synthesis worker answered job {jobId} while running {id}");
            switch (kind)
            {
                case WorkerWire.Audio:
                    var samples = WorkerWire.ReadSamples(worker.Output);
                    if (stopped) break;
                    if (!job.Stream.Write(samples))
                    {
                        stopped = true; // the segment reached max-segment-audio
                        worker.Cancel(id);
                    }
                    break;
                case WorkerWire.Done:
                case WorkerWire.Cancelled:
                    job.Stream.Complete(job.Cancellation.IsCancellationRequested ? new OperationCanceledException(job.Cancellation) : null);
                    return;
                case WorkerWire.Failed:
                    job.Stream.Complete(new InvalidOperationException(worker.Output.ReadString()));
                    return;
                default:
                    throw new InvalidDataException($"synthesis worker sent message kind {kind}");
            }
        }
    }
}

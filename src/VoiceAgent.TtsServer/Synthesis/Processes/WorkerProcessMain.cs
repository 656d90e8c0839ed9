using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace VoiceAgent.TtsServer.Synthesis.Processes;

/// <summary>
/// The body of a synthesis worker process (the VoiceAgent.TtsServer.Worker executable): loads
/// espeak-ng, says hello with its sample rate and voices, then synthesizes one request at a time,
/// streaming each block of samples to standard output as espeak-ng produces it. A reader thread
/// takes requests and cancels from standard input; when standard input ends (the server stopped,
/// or died), the worker ends too, so it never outlives its server.
/// </summary>
public static class WorkerProcessMain
{
    private sealed record Job(int Id, SynthesisRequest Request);

    public static int Run(Stream input, Stream output)
    {
        // Ctrl+C in a terminal reaches the whole process group: the server decides when its
        // workers stop (it closes their input), so the signal must not end a worker mid-sentence.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = true);
        using var writer = new BinaryWriter(new BufferedStream(output, 1 << 16), WorkerWire.Text);
        EspeakEngine engine;
        try
        {
            engine = EspeakEngine.Create();
        }
        catch (SpeechEngineUnavailableException e)
        {
            writer.Write(WorkerWire.Unavailable);
            writer.Write(e.Message);
            writer.Flush();
            return 3;
        }
        WorkerWire.WriteVoices(writer, engine.SampleRate, engine.Voices);
        writer.Flush();

        using var jobs = new BlockingCollection<Job>();
        var cancels = new CancelBoard();
        var reader = new Thread(() => ReadRequests(input, jobs, cancels)) { IsBackground = true, Name = "worker-input" };
        reader.Start();

        foreach (var job in jobs.GetConsumingEnumerable())
        {
            using var cancellation = cancels.Begin(job.Id);
            try
            {
                engine.Synthesize(job.Request, samples =>
                {
                    WorkerWire.WriteSamples(writer, job.Id, samples);
                    writer.Flush(); // first audio matters: every block leaves at once
                    return true;
                }, cancellation.Token);
                writer.Write(WorkerWire.Done);
                writer.Write(job.Id);
            }
            catch (OperationCanceledException)
            {
                writer.Write(WorkerWire.Cancelled);
                writer.Write(job.Id);
            }
            catch (Exception e)
            {
                writer.Write(WorkerWire.Failed);
                writer.Write(job.Id);
                writer.Write(e.InnerException?.Message ?? e.Message);
            }
            finally
            {
                cancels.End(job.Id);
            }
            writer.Flush();
        }
        return 0;
    }

    private static void ReadRequests(Stream input, BlockingCollection<Job> jobs, CancelBoard cancels)
    {
        using var reader = new BinaryReader(input, WorkerWire.Text);
        try
        {
            while (true)
            {
                var kind = reader.ReadByte();
                var id = reader.ReadInt32();
                switch (kind)
                {
                    case WorkerWire.Speak:
                        var voice = reader.ReadString();
                        var speed = reader.ReadDouble();
                        var goesOn = reader.ReadBoolean();
                        var text = reader.ReadString();
                        jobs.Add(new Job(id, new SynthesisRequest(text, voice, speed, goesOn)));
                        break;
                    case WorkerWire.Cancel:
                        cancels.Cancel(id);
                        break;
                    default:
                        throw new InvalidDataException($"unknown request kind {kind}");
                }
            }
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or InvalidDataException)
        {
            // The server is gone (or spoke nonsense): stop what runs and end.
        }
        cancels.CancelAll();
        jobs.CompleteAdding();
    }

    /// <summary>Which job runs and which were cancelled before they ran (a cancel can overtake
    /// its request's start).</summary>
    private sealed class CancelBoard
    {
        private readonly object _lock = new();
        private readonly HashSet<int> _cancelledEarly = [];
        private (int Id, CancellationTokenSource Source)? _running;
        private bool _all;

        public CancellationTokenSource Begin(int id)
        {
            var source = new CancellationTokenSource();
            lock (_lock)
            {
                if (_all || _cancelledEarly.Remove(id)) source.Cancel();
                _cancelledEarly.RemoveWhere(early => early < id); // late cancels of finished jobs (ids only grow)
                _running = (id, source);
            }
            return source;
        }

        public void End(int id)
        {
            lock (_lock)
                if (_running?.Id == id) _running = null;
        }

        public void Cancel(int id)
        {
            lock (_lock)
            {
                if (_running is { } running && running.Id == id) running.Source.Cancel();
                else _cancelledEarly.Add(id);
            }
        }

        public void CancelAll()
        {
            lock (_lock)
            {
                _all = true;
                _running?.Source.Cancel();
            }
        }
    }
}

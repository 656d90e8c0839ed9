using System.Threading.Channels;

namespace VoiceAgent.TtsServer.Synthesis;

/// <summary>
/// The audio of one synthesis request as it is produced: blocks of engine-rate samples, read by
/// the session while the engine is still working. The writer is the synthesis worker; a request
/// whose audio reaches <see cref="MaxSamples"/> is stopped there (<see cref="Truncated"/>).
/// </summary>
public sealed class SynthesisStream
{
    private readonly Channel<short[]> _blocks = Channel.CreateUnbounded<short[]>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private static long _takenSoFar;
    private long _produced;
    private long _takenAs;

    public SynthesisStream(long maxSamples) => MaxSamples = maxSamples;

    /// <summary>Most samples one request may produce (at the engine's rate).</summary>
    public long MaxSamples { get; }

    /// <summary>Sample blocks in order; completes after the last one, or with the engine's error.</summary>
    public ChannelReader<short[]> Blocks => _blocks.Reader;

    /// <summary>Samples produced so far.</summary>
    public long Produced => Interlocked.Read(ref _produced);

    /// <summary>When an engine took this request, as a number that grows with every request any
    /// synthesizer takes (0 while it waits): the order in which requests reached an engine.</summary>
    public long TakenAs => Interlocked.Read(ref _takenAs);

    /// <summary>An engine starts on this request now.</summary>
    internal void MarkTaken() => Interlocked.Exchange(ref _takenAs, Interlocked.Increment(ref _takenSoFar));

    /// <summary>The audio was cut at <see cref="MaxSamples"/>.</summary>
    public bool Truncated { get; private set; }

    /// <summary>The engine's sink: copies a piece; false (stop) once the limit is reached.</summary>
    internal bool Write(ReadOnlySpan<short> samples)
    {
        var room = MaxSamples - Produced;
        if (room <= 0)
        {
            Truncated = true;
            return false;
        }
        var piece = samples.Length <= room ? samples : samples[..(int)room];
        _blocks.Writer.TryWrite(piece.ToArray());
        Interlocked.Add(ref _produced, piece.Length);
        if (piece.Length == samples.Length) return true;
        Truncated = true;
        return false;
    }

    internal void Complete(Exception? error = null) => _blocks.Writer.TryComplete(error);

    /// <summary>Every sample, for callers that need the whole signal (tests, tools).</summary>
    public async Task<short[]> ReadAllAsync(CancellationToken cancellation)
    {
        var all = new List<short>();
        await foreach (var block in Blocks.ReadAllAsync(cancellation)) all.AddRange(block);
        return all.ToArray();
    }
}

using System.Diagnostics;

namespace VoiceAgent.Audio.Tests;

/// <summary>Feeds the private server's pipe source "vmic" (see <see cref="PulseRequirement"/>).</summary>
internal static class PipeSource
{
    /// <summary>Writes 16 kHz mono samples into the FIFO in real time, 20 ms at a time, like a
    /// sound card: the pipe source is not clocked and passes on whatever arrives.</summary>
    public static async Task FeedAsync(short[] samples, CancellationToken cancellationToken = default)
    {
        await using var fifo = new FileStream(PulseRequirement.MicFifo, FileMode.Open, FileAccess.Write);
        var bytes = Pcm16.ToBytes(samples);
        var clock = Stopwatch.StartNew();
        for (var offset = 0; offset < bytes.Length && !cancellationToken.IsCancellationRequested; offset += 640)
        {
            await fifo.WriteAsync(bytes.AsMemory(offset, Math.Min(640, bytes.Length - offset)), cancellationToken);
            await fifo.FlushAsync(cancellationToken);
            var due = TimeSpan.FromMilliseconds(20.0 * (offset / 640 + 1)) - clock.Elapsed;
            if (due > TimeSpan.Zero) await Task.Delay(due, cancellationToken);
        }
    }
}

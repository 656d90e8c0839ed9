using System.Diagnostics;
using VoiceAgent.Dsp;

namespace VoiceAgent.Audio.Tests;

/// <summary>Feeds the private server's pipe source "vmic" (see <see cref="PulseRequirement"/>).</summary>
internal static class PipeSource
{
    /// <summary>Writes 16 kHz mono samples into the FIFO in real time, 20 ms at a time, like a
    /// sound card: the pipe source is not clocked and passes on whatever arrives. Cancelling stops
    /// the feed at once; a write the FIFO holds up (nobody records, the pipe is full) finishes in
    /// the background when the next recording drains it.</summary>
    public static Task FeedAsync(short[] samples, CancellationToken cancellationToken = default)
    {
        var writing = Task.Factory.StartNew(() =>
        {
            using var fifo = new FileStream(PulseRequirement.MicFifo, FileMode.Open, FileAccess.Write);
            var bytes = Pcm16.ToBytes(samples);
            var clock = Stopwatch.StartNew();
            for (var offset = 0; offset < bytes.Length && !cancellationToken.IsCancellationRequested; offset += 640)
            {
                fifo.Write(bytes, offset, Math.Min(640, bytes.Length - offset));
                fifo.Flush();
                var due = TimeSpan.FromMilliseconds(20.0 * (offset / 640 + 1)) - clock.Elapsed;
                if (due > TimeSpan.Zero) cancellationToken.WaitHandle.WaitOne(due);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return writing.WaitAsync(cancellationToken);
    }

    /// <summary>Feeds <paramref name="samples"/> until disposed (or until they run out).</summary>
    public static Feed Start(short[] samples) => new(samples);

    /// <summary>A feed in progress; disposing stops it.</summary>
    public sealed class Feed : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _writing;

        public Feed(short[] samples) => _writing = FeedAsync(samples, _stop.Token);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await _writing;
            }
            catch (OperationCanceledException)
            {
                // Stopped before the samples ran out.
            }
            _stop.Dispose();
        }
    }
}

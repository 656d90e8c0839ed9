using System.Runtime.InteropServices;
using VoiceAgent.Audio.Pulse;
using VoiceAgent.Audio.Tests;
using VoiceAgent.Audio;
using VoiceAgent.Dsp;
using VoiceAgent.Core.Protocol;
using VoiceAgent.Simulation;

namespace VoiceAgent.Tests;

/// <summary>
/// A room between the speakers and the microphone on the private PulseAudio server: everything
/// played into the null sink (the assistant, and a user played with paplay) is recorded from the
/// sink's monitor, sent through <see cref="RoomEcho"/> (echo delay, gain, reflections) and written
/// into the pipe source "vmic", which the assistant records as its microphone. The monitor's
/// clock paces the feed, so the microphone runs at the sink's rate, as a sound card's input and
/// output share one clock. Timing, latency figures and stamps all stay the real server's; only
/// the acoustics are added.
/// <para>
/// The pipe source is not clocked: it passes on whatever the FIFO holds as soon as someone
/// records, and nothing is drained while nobody does. So sound written while the assistant is not
/// recording (before it starts, after it quits) would reach it later as a burst of stale audio, or
/// reach the next test: a room does not keep sound for a microphone that is off, so frames are
/// dropped while the FIFO already holds <see cref="MostUnread"/>, and what is left is drained on
/// disposal.
/// </para>
/// </summary>
internal sealed partial class PulseRoom : IAsyncDisposable
{
    private static readonly int MostUnread = Pcm16.SamplesFor(TimeSpan.FromMilliseconds(100), CaptureFormat.SampleRate) * 2;

    private readonly PulseAudioCapture _monitor = new("vsink.monitor");
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _feeding;
    private long _frames;

    public PulseRoom(RoomSetup room)
    {
        PulseRequirement.Require();
        var echo = new RoomEcho(room, CaptureFormat.SampleRate);
        _feeding = Task.Factory.StartNew(() => FeedAsync(echo), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>20 ms frames that went from the monitor through the room to the microphone.</summary>
    public long Frames => Interlocked.Read(ref _frames);

    private async Task FeedAsync(RoomEcho echo)
    {
        await using var fifo = new FileStream(PulseRequirement.MicFifo, FileMode.Open, FileAccess.Write);
        var heard = new float[CaptureFormat.FrameSamples];
        var microphone = new short[CaptureFormat.FrameSamples];
        try
        {
            await foreach (var frame in _monitor.ReadFramesAsync(_stop.Token))
            {
                var played = frame.Samples.Span;
                if (heard.Length < played.Length) (heard, microphone) = (new float[played.Length], new short[played.Length]);
                echo.Process(played, heard);
                Pcm16.FromScaled(heard.AsSpan(0, played.Length), microphone);
                if (Unread(fifo) >= MostUnread) continue;
                fifo.Write(Pcm16.ToBytes(microphone.AsSpan(0, played.Length)));
                fifo.Flush();
                Interlocked.Increment(ref _frames);
            }
        }
        catch (OperationCanceledException)
        {
            // The room is taken down.
        }
        Drain(fifo);
    }

    /// <summary>Bytes in the FIFO that nobody has read yet.</summary>
    private static int Unread(FileStream fifo) =>
        Ioctl(fifo.SafeFileHandle.DangerousGetHandle().ToInt32(), FionRead, out var count) == 0 ? count : 0;

    /// <summary>Reads out what the microphone did not take, while this end still holds the FIFO open
    /// (so opening it for reading does not wait for a writer).</summary>
    private static void Drain(FileStream fifo)
    {
        var left = Unread(fifo);
        if (left <= 0) return;
        using var reader = new FileStream(PulseRequirement.MicFifo, FileMode.Open, FileAccess.Read);
        var buffer = new byte[4096];
        while ((left = Unread(fifo)) > 0) reader.ReadExactly(buffer, 0, Math.Min(left, buffer.Length));
    }

    private const nuint FionRead = 0x541B; // Linux <asm-generic/ioctls.h>

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int Ioctl(int descriptor, nuint request, out int count);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _feeding;
        await _monitor.DisposeAsync();
        _stop.Dispose();
    }
}

using VoiceAgent.Audio;
using VoiceAgent.Audio.Pulse;
using VoiceAgent.Protocol;
using VoiceAgent.Simulation;

namespace VoiceAgent.Tests;

/// <summary>
/// A room between a real audio server's speakers and microphone: what the null sink plays (its
/// monitor) goes through the room's echo path (delay, gain, reverberation) into the pipe source's
/// FIFO, which the assistant records as its microphone. The monitor is clocked by the server, so
/// writing each frame as it comes paces the pipe source in real time.
/// </summary>
internal sealed class MonitorThroughRoom : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    public MonitorThroughRoom(RoomSetup room, string fifo, string monitor = "vsink.monitor")
    {
        var echo = new RoomEcho(room, CaptureFormat.SampleRate);
        _running = Task.Run(async () =>
        {
            await using var capture = new PulseAudioCapture(monitor);
            await using var microphone = new FileStream(fifo, FileMode.Open, FileAccess.Write);
            var room = new float[CaptureFormat.FrameSamples];
            var heard = new short[CaptureFormat.FrameSamples];
            try
            {
                await foreach (var frame in capture.ReadFramesAsync(_stop.Token))
                {
                    echo.Process(frame.Samples.Span, room);
                    for (var i = 0; i < heard.Length; i++) heard[i] = (short)Math.Clamp(Math.Round(room[i]), short.MinValue, short.MaxValue);
                    await microphone.WriteAsync(Pcm16.ToBytes(heard), _stop.Token);
                    await microphone.FlushAsync(_stop.Token);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _running;
    }
}

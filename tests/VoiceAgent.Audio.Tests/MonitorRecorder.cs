using VoiceAgent.Audio.Pulse;

namespace VoiceAgent.Audio.Tests;

/// <summary>Records a PulseAudio source (here the null sink's monitor: what was played) in the background.</summary>
internal sealed class MonitorRecorder : IAsyncDisposable
{
    private readonly PulseAudioCapture _capture;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<short> _samples = new();
    private readonly Task _reading;

    public MonitorRecorder(string source = "vsink.monitor")
    {
        _capture = new PulseAudioCapture(source);
        _reading = Task.Run(async () =>
        {
            try
            {
                await foreach (var frame in _capture.ReadFramesAsync(_stop.Token))
                    lock (_samples) _samples.AddRange(frame.Samples.ToArray());
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    public short[] Samples
    {
        get { lock (_samples) return _samples.ToArray(); }
    }

    public async Task<short[]> StopAsync()
    {
        _stop.Cancel();
        await _reading;
        await _capture.DisposeAsync();
        return Samples;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await StopAsync();
    }
}

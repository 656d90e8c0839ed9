using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using NAudio.Wave;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Audio.Capture;

/// <summary>
/// An <see cref="IAudioCapture"/> on a push-model recorder: anything NAudio records through an
/// <see cref="IWaveIn"/> (WASAPI, WaveIn). Recording starts here, so a device that cannot start
/// fails at once (one line, text mode), as PulseAudio does. Each device buffer is converted to
/// 16 kHz mono and cut into 20 ms frames stamped on the capture clock (counted samples).
/// </summary>
public sealed class WaveInCapture : IAudioCapture
{
    private readonly IWaveIn _recorder;
    private readonly Func<string> _name;
    private readonly Channel<AudioFrame> _frames = Channel.CreateBounded<AudioFrame>(
        new BoundedChannelOptions(500) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly FrameSlicer _slicer = new();
    private CaptureConverter? _converter;
    private bool _reading;

    /// <param name="recorder">The device, not started yet.</param>
    /// <param name="name">Its name for notices, asked once recording has started (a device that
    /// falls back to another API knows which one only then).</param>
    public WaveInCapture(IWaveIn recorder, Func<string> name)
    {
        _recorder = recorder;
        _name = name;
        _recorder.DataAvailable += OnData;
        _recorder.RecordingStopped += OnStopped;
        try
        {
            _recorder.StartRecording();
        }
        catch (Exception e)
        {
            _recorder.Dispose();
            throw e as AudioDeviceException ?? new AudioDeviceException($"cannot record from {name()}: {e.Message.ReplaceLineEndings(" ")}", e);
        }
        Name = name();
    }

    public string Name { get; }

    public async IAsyncEnumerable<AudioFrame> ReadFramesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (_reading) throw new InvalidOperationException("WaveInCapture is read once.");
        _reading = true;
        await foreach (var frame in _frames.Reader.ReadAllAsync(cancellationToken))
            yield return frame;
    }

    private void OnData(object? sender, WaveInEventArgs e)
    {
        try
        {
            _converter ??= new CaptureConverter(_recorder.WaveFormat);
            var delivered = Stopwatch.GetTimestamp();
            foreach (var frame in _slicer.Add(_converter.Convert(e.Buffer, e.BytesRecorded)))
                _frames.Writer.TryWrite(frame with { DeliveredTimestamp = delivered });
        }
        catch (Exception failure)
        {
            // Raised on the device's thread: end the stream with the reason instead of throwing there.
            _frames.Writer.TryComplete(failure as AudioDeviceException ?? new AudioDeviceException($"{_name()}: {failure.Message}", failure));
        }
    }

    private void OnStopped(object? sender, StoppedEventArgs e) => _frames.Writer.TryComplete(
        e.Exception is null ? null : new AudioDeviceException($"{_name()} stopped: {e.Exception.Message.ReplaceLineEndings(" ")}", e.Exception));

    public ValueTask DisposeAsync()
    {
        _recorder.DataAvailable -= OnData;
        _recorder.RecordingStopped -= OnStopped;
        _recorder.StopRecording();
        _recorder.Dispose();
        _frames.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }
}

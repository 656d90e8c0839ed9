using System.Runtime.CompilerServices;
using System.Threading.Channels;
using NAudio.Wave;
using VoiceAgent.Audio.Capture;
using VoiceAgent.Protocol;

namespace VoiceAgent.Audio.NAudio;

/// <summary>Capture through WinMM (<see cref="WaveInEvent"/>) at 16 kHz mono s16 in 20 ms buffers,
/// re-cut into exact 20 ms frames.</summary>
public sealed class NAudioCapture : IAudioCapture
{
    private readonly WaveInEvent _device;
    private readonly Channel<AudioFrame> _frames = Channel.CreateBounded<AudioFrame>(
        new BoundedChannelOptions(500) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly FrameSlicer _slicer = new();

    /// <param name="deviceNumber">WaveIn device number; -1 is the default (WAVE_MAPPER).</param>
    public NAudioCapture(int deviceNumber, string name)
    {
        Name = name;
        _device = new WaveInEvent
        {
            DeviceNumber = deviceNumber,
            WaveFormat = new WaveFormat(CaptureFormat.SampleRate, 16, 1),
            BufferMilliseconds = 20,
            NumberOfBuffers = 4,
        };
        _device.DataAvailable += OnData;
        _device.RecordingStopped += (_, e) => _frames.Writer.TryComplete(
            e.Exception is null ? null : new AudioDeviceException($"{Name} stopped: {e.Exception.Message}", e.Exception));
    }

    public string Name { get; }

    public async IAsyncEnumerable<AudioFrame> ReadFramesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        try
        {
            _device.StartRecording();
        }
        catch (Exception e)
        {
            throw new AudioDeviceException($"cannot record from {Name}: {e.Message}", e);
        }
        await foreach (var frame in _frames.Reader.ReadAllAsync(cancellationToken))
            yield return frame;
    }

    private void OnData(object? sender, WaveInEventArgs e)
    {
        var samples = Pcm16.FromBytes(e.Buffer.AsSpan(0, e.BytesRecorded));
        foreach (var frame in _slicer.Add(samples)) _frames.Writer.TryWrite(frame);
    }

    public ValueTask DisposeAsync()
    {
        _device.StopRecording();
        _device.Dispose();
        return ValueTask.CompletedTask;
    }
}

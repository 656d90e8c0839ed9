using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using VoiceAgent.Audio.Capture;
using VoiceAgent.Dsp;
using VoiceAgent.Core.Protocol;
using static VoiceAgent.Audio.Pulse.PulseSimpleNative;

namespace VoiceAgent.Audio.Pulse;

/// <summary>
/// Capture from a PulseAudio source at 16 kHz mono s16 in 20 ms fragments. <c>pa_simple_read</c>
/// blocks, so a dedicated thread reads and hands frames over through a channel.
/// </summary>
public sealed class PulseAudioCapture : IAudioCapture
{
    private readonly PulseStream _stream;
    private readonly Channel<AudioFrame> _frames = Channel.CreateBounded<AudioFrame>(
        new BoundedChannelOptions(500) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _stop = new();
    private Thread? _reader;

    /// <param name="device">A source name (a monitor such as "vsink.monitor" works too); null or empty for the default.</param>
    /// <param name="server">A server address; null uses PULSE_SERVER or the default.</param>
    public PulseAudioCapture(string? device, string? server = null)
    {
        var attributes = new BufferAttr
        {
            MaxLength = uint.MaxValue,
            TLength = uint.MaxValue,
            PreBuf = uint.MaxValue,
            MinReq = uint.MaxValue,
            FragSize = (uint)(CaptureFormat.FrameSamples * 2),
        };
        _stream = PulseStream.Open(server, playback: false, device, "voice-agent capture", CaptureFormat.SampleRate, attributes);
    }

    public string Name => _stream.Name;

    public async IAsyncEnumerable<AudioFrame> ReadFramesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (_reader is not null) throw new InvalidOperationException("PulseAudioCapture is read once.");
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = "pulse-capture" };
        _reader.Start();
        await foreach (var frame in _frames.Reader.ReadAllAsync(cancellationToken))
            yield return frame;
    }

    private void ReadLoop()
    {
        long frames = 0;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var samples = new short[CaptureFormat.FrameSamples];
                _stream.Read(samples);
                var delivered = Stopwatch.GetTimestamp();
                var position = Pcm16.Duration(frames++ * CaptureFormat.FrameSamples, CaptureFormat.SampleRate);
                _frames.Writer.TryWrite(new AudioFrame(samples, position) { DeliveredTimestamp = delivered });
            }
            _frames.Writer.TryComplete();
        }
        catch (Exception e)
        {
            _frames.Writer.TryComplete(e);
        }
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        // The reader ends after its current 20 ms read; free the stream only once it has, since
        // freeing under a blocked read would crash. A source that never delivers again leaks it.
        if (_reader is null || _reader.Join(TimeSpan.FromSeconds(1))) _stream.Dispose();
        _stop.Dispose();
        return ValueTask.CompletedTask;
    }
}

using System.Diagnostics;
using System.Threading.Channels;
using VoiceAgent.Audio.Output;

namespace VoiceAgent.Pipeline.Benchmarks;

/// <summary>A device that plays nothing and takes no time: it stamps every write
/// (<see cref="Stopwatch.GetTimestamp"/> ticks), so the pipeline's delay up to the device is
/// measured without the device's own.</summary>
internal sealed class RecordingOutput(int sampleRate) : IAudioOutput
{
    public Channel<long> Writes { get; } = Channel.CreateUnbounded<long>();

    public string Name => "recording";

    public int SampleRate { get; } = sampleRate;

    public void Write(ReadOnlySpan<short> samples) => Writes.Writer.TryWrite(Stopwatch.GetTimestamp());

    public TimeSpan BufferSize => TimeSpan.Zero;

    public TimeSpan Latency => TimeSpan.Zero;

    public TimeSpan Flush() => TimeSpan.Zero;

    public void Drain()
    {
    }

    public void Dispose()
    {
    }
}

using System.Collections.Concurrent;
using VoiceAgent.Audio.Output;
using VoiceAgent.Audio.Playback;
using VoiceAgent.Protocol;
using VoiceAgent.TestSupport;

namespace VoiceAgent.Audio.Tests;

/// <summary>Plays on a device that keeps real time: alone, like the other real-time tests.</summary>
[Collection(RealTimeCollection.Name)]
public class AudioPlayerReferenceTests
{
    private const int Rate = 16_000;

    /// <summary>A device whose latency figure says nothing (PulseAudio reports zero now and then
    /// while audio is still queued); it plays in real time like the simulated device.</summary>
    private sealed class SilentLatencyDevice(SimulatedDevice inner) : IAudioOutput
    {
        public string Name => inner.Name;
        public int SampleRate => inner.SampleRate;
        public TimeSpan BufferSize => inner.BufferSize;
        public TimeSpan Latency => TimeSpan.Zero;
        public void Write(ReadOnlySpan<short> samples) => inner.Write(samples);
        public TimeSpan Flush() => inner.Flush();
        public void Drain() => inner.Drain();
        public void Dispose() => inner.Dispose();
    }

    [Fact]
    public void Pieces_follow_on_by_the_players_own_count_even_when_the_device_reports_no_latency()
    {
        var reports = new BlockingCollection<object>();
        using var player = new AudioPlayer(new SilentLatencyDevice(new SimulatedDevice(Rate, TimeSpan.FromMilliseconds(60))), reports.Add);
        var turn = new TurnId(1);
        player.Enqueue(new AudioChunk(turn, Signals.Sine(440, Rate, 0.5), Rate));
        player.Complete(turn);

        var references = new List<PlaybackReference>();
        while (references.Count < 25 && reports.TryTake(out var report, TimeSpan.FromSeconds(10)))
            if (report is PlaybackReference reference) references.Add(reference);

        Assert.Equal(25, references.Count);
        Assert.False(references[0].Continues);
        Assert.All(references.Skip(1), r => Assert.True(r.Continues));
    }
}

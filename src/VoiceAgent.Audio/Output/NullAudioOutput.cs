using System.Diagnostics;
using VoiceAgent.Dsp;

namespace VoiceAgent.Audio.Output;

/// <summary>
/// Output for <c>output = none</c>: discards the audio but takes as long as playing it would,
/// so progress, heard text and barge-in timing are what a listener would get.
/// </summary>
public sealed class NullAudioOutput(int sampleRate, bool realTime = true) : IAudioOutput
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _playedUntil;

    public string Name => "none";

    public int SampleRate { get; } = sampleRate;

    public TimeSpan BufferSize => TimeSpan.Zero;

    public TimeSpan Latency => TimeSpan.Zero;

    public long SamplesWritten { get; private set; }

    public void Write(ReadOnlySpan<short> samples)
    {
        SamplesWritten += samples.Length;
        if (!realTime) return;
        // Keep an absolute schedule so sleeping late on one piece is made up on the next.
        var now = _clock.Elapsed;
        if (_playedUntil < now) _playedUntil = now;
        _playedUntil += Pcm16.Duration(samples.Length, SampleRate);
        var wait = _playedUntil - _clock.Elapsed;
        if (wait > TimeSpan.Zero) Thread.Sleep(wait);
    }

    public TimeSpan Flush() => TimeSpan.Zero;

    public void Drain()
    {
    }

    public void Dispose()
    {
    }
}

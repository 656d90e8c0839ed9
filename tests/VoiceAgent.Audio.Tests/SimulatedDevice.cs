using System.Diagnostics;
using VoiceAgent.Audio.Output;
using VoiceAgent.Audio;
using VoiceAgent.Dsp;

namespace VoiceAgent.Audio.Tests;

/// <summary>
/// An output that behaves like a sound card with a buffer: it plays in real time, holds up to
/// <c>buffer</c> of audio ahead (writes block beyond that), reports that as latency and drops it
/// on flush. It records exactly which samples a listener heard.
/// </summary>
internal sealed class SimulatedDevice(int sampleRate, TimeSpan buffer) : IAudioOutput
{
    private readonly object _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<short> _heard = new();
    private readonly List<(TimeSpan Start, short[] Samples)> _pending = new();
    private TimeSpan _end;

    public string Name => "simulated";

    public int SampleRate { get; } = sampleRate;

    public int Flushes { get; private set; }

    public long Written { get; private set; }

    /// <summary>Per write: whether it followed the audio before it without a gap (the device had
    /// not run dry), as the device itself saw it.</summary>
    public List<bool> FollowedOn { get; } = new();

    public TimeSpan BufferSize => buffer;

    public TimeSpan Latency
    {
        get { lock (_gate) return Max(TimeSpan.Zero, _end - _clock.Elapsed); }
    }

    /// <summary>What has been heard so far.</summary>
    public short[] Heard
    {
        get
        {
            lock (_gate)
            {
                Settle(_clock.Elapsed);
                return _heard.ToArray();
            }
        }
    }

    public void Write(ReadOnlySpan<short> samples)
    {
        var duration = Pcm16.Duration(samples.Length, SampleRate);
        while (true)
        {
            TimeSpan wait;
            lock (_gate)
            {
                var now = _clock.Elapsed;
                wait = Max(TimeSpan.Zero, _end - now) + duration - buffer;
                if (wait <= TimeSpan.Zero)
                {
                    FollowedOn.Add(_end >= now && Written > 0);
                    if (_end < now) _end = now;
                    _pending.Add((_end, samples.ToArray()));
                    _end += duration;
                    Written += samples.Length;
                    return;
                }
            }
            Thread.Sleep(wait);
        }
    }

    public TimeSpan Flush()
    {
        lock (_gate)
        {
            var now = _clock.Elapsed;
            var dropped = Max(TimeSpan.Zero, _end - now);
            Settle(now);
            // Keep the part of the piece being played that has already been heard.
            if (_pending.Count > 0 && _pending[0].Start < now)
            {
                var played = Math.Min(_pending[0].Samples.Length, Pcm16.SamplesFor(now - _pending[0].Start, SampleRate));
                _heard.AddRange(_pending[0].Samples.Take(played));
            }
            _pending.Clear();
            _end = now;
            Flushes++;
            return dropped;
        }
    }

    public void Drain()
    {
        while (true)
        {
            TimeSpan wait;
            lock (_gate) wait = _end - _clock.Elapsed;
            if (wait <= TimeSpan.Zero) return;
            Thread.Sleep(wait + TimeSpan.FromMilliseconds(1));
        }
    }

    public void Dispose()
    {
    }

    private void Settle(TimeSpan now)
    {
        while (_pending.Count > 0 && _pending[0].Start + Pcm16.Duration(_pending[0].Samples.Length, SampleRate) <= now)
        {
            _heard.AddRange(_pending[0].Samples);
            _pending.RemoveAt(0);
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

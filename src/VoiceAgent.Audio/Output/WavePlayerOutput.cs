using System.Diagnostics;
using NAudio.Wave;
using VoiceAgent.Audio.Capture;
using VoiceAgent.Dsp;

namespace VoiceAgent.Audio.Output;

/// <summary>
/// An <see cref="IAudioOutput"/> on a pull-model device: anything NAudio plays through an
/// <see cref="IWavePlayer"/> that reports its position (<see cref="IWavePosition"/>: WASAPI,
/// WaveOut). The device runs for the whole session and reads from a <see cref="PlaybackRing"/>
/// that fills with silence, so this class decides on its own what the listener hears: writes wait
/// while the ring and the device hold <see cref="BufferSize"/>, a flush empties the ring (what the
/// device has taken, one device buffer, is still heard), and the latency is what the ring and the
/// device hold ahead of the device's played position (silence it took before new audio included,
/// so a piece's first sample is stamped when it is really heard).
/// </summary>
public sealed class WavePlayerOutput : IAudioOutput
{
    // A device whose position stands still this long while audio is waiting has stopped.
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(2);

    private readonly PlaybackRing _ring;
    private readonly IWavePlayer _player;
    private readonly IWavePosition _position;
    private readonly long _bufferSamples;
    private volatile Exception? _failure;
    private volatile bool _disposed;

    /// <param name="start">Opens the device on the given source and starts it; returns the device
    /// and its name for notices. Throws <see cref="AudioDeviceException"/> when it cannot.</param>
    public WavePlayerOutput(Func<IWaveProvider, (IWavePlayer Player, string Name)> start, int sampleRate, TimeSpan buffer)
    {
        SampleRate = sampleRate;
        BufferSize = buffer;
        _bufferSamples = Pcm16.SamplesFor(buffer, sampleRate);
        // Room for more than the player ever writes ahead; a write beyond it would be a bug.
        _ring = new PlaybackRing(sampleRate, buffer + TimeSpan.FromSeconds(1));
        (_player, Name) = start(_ring);
        if (_player is not IWavePosition position)
        {
            _player.Dispose();
            throw new ArgumentException("the device must report its position (IWavePosition)", nameof(start));
        }
        _position = position;
        _player.PlaybackStopped += (_, e) =>
        {
            if (!_disposed) _failure = e.Exception ?? new AudioDeviceException($"{Name} stopped playing");
        };
    }

    public string Name { get; }

    public int SampleRate { get; }

    public TimeSpan BufferSize { get; }

    /// <summary>How long until what was written is heard; zero once the device has failed (it
    /// holds nothing any more), so a caller waiting for room writes, and learns of the failure.</summary>
    public TimeSpan Latency => _failure is null ? Pcm16.Duration(Unheard, SampleRate) : TimeSpan.Zero;

    /// <summary>Samples the device has played (its position), never more than it has taken.</summary>
    public long Played
    {
        get
        {
            var bytesPerSecond = _position.OutputWaveFormat.AverageBytesPerSecond;
            var played = bytesPerSecond > 0 ? _position.GetPosition() * SampleRate / bytesPerSecond : 0;
            return Math.Clamp(played, 0, _ring.Delivered);
        }
    }

    /// <summary>Time until the last sample written is heard, in samples (see <see cref="PlaybackRing.Unheard"/>).</summary>
    private long Unheard => _ring.Unheard(Played);

    public void Write(ReadOnlySpan<short> samples)
    {
        ThrowIfFailed();
        // The player waits for room itself; this only guards a caller that does not.
        while (Unheard > 0 && Unheard + samples.Length > _bufferSamples)
        {
            Thread.Sleep(1);
            ThrowIfFailed();
        }
        _ring.Write(samples);
    }

    public TimeSpan Flush() => Pcm16.Duration(_ring.Clear(), SampleRate);

    public void Drain()
    {
        var lastPlayed = Played;
        var progress = Stopwatch.StartNew();
        while (Unheard > 0)
        {
            ThrowIfFailed();
            var played = Played;
            if (played != lastPlayed)
            {
                lastPlayed = played;
                progress.Restart();
            }
            else if (progress.Elapsed > Stall)
            {
                throw new AudioDeviceException($"{Name} stopped playing (its position has not moved for {Stall.TotalSeconds:0} s)");
            }
            Thread.Sleep(2);
        }
    }

    private void ThrowIfFailed()
    {
        if (_failure is { } failure) throw new AudioDeviceException($"{Name} stopped: {failure.Message}", failure);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _player.Stop();
        _player.Dispose();
    }
}

using NAudio.Wave;
using VoiceAgent.Dsp;

namespace VoiceAgent.Audio.Output;

/// <summary>
/// What a pull-model device (WASAPI, WaveOut) reads from: a <see cref="BufferedWaveProvider"/> of
/// mono s16 that never runs dry (silence fills the gaps, so the device keeps running and the
/// next reply starts at once), plus the count the played position is measured against: how many
/// samples the device has taken in all, and where in that stream the last real audio ends.
/// Thread-safe: the device reads on its own thread while the player writes on another.
/// </summary>
internal sealed class PlaybackRing : IWaveProvider
{
    private readonly object _gate = new();
    private readonly BufferedWaveProvider _buffer;
    private long _delivered;
    private long _audioEnd;

    public PlaybackRing(int sampleRate, TimeSpan capacity)
    {
        _buffer = new BufferedWaveProvider(new WaveFormat(sampleRate, 16, 1))
        {
            BufferDuration = capacity,
            // The player never writes more than the device buffer holds; overflowing is a bug.
            DiscardOnBufferOverflow = false,
            ReadFully = false,
        };
    }

    public WaveFormat WaveFormat => _buffer.WaveFormat;

    /// <summary>Samples (audio and silence) the device has taken since it started.</summary>
    public long Delivered
    {
        get { lock (_gate) return _delivered; }
    }

    /// <summary>
    /// How long until everything written is heard, in samples, given what the device has played.
    /// With audio still here, that is all the device holds (silence it took while this was empty
    /// plays first) plus this; without, only the audio the device holds that is not yet played.
    /// </summary>
    public long Unheard(long played)
    {
        lock (_gate)
        {
            var buffered = _buffer.BufferedBytes / 2;
            return buffered > 0 ? buffered + Math.Max(0, _delivered - played) : Math.Max(0, _audioEnd - played);
        }
    }

    public void Write(ReadOnlySpan<short> samples)
    {
        var bytes = Pcm16.ToBytes(samples);
        lock (_gate) _buffer.AddSamples(bytes, 0, bytes.Length);
    }

    /// <summary>Drops what the device has not taken yet; returns how many samples that was.</summary>
    public long Clear()
    {
        lock (_gate)
        {
            var dropped = _buffer.BufferedBytes / 2;
            _buffer.ClearBuffer();
            return dropped;
        }
    }

    /// <summary>Called by the device: always fills the whole request, with silence after the audio.</summary>
    public int Read(byte[] buffer, int offset, int count)
    {
        lock (_gate)
        {
            var audio = _buffer.Read(buffer, offset, count);
            Array.Clear(buffer, offset + audio, count - audio);
            if (audio > 0) _audioEnd = _delivered + audio / 2;
            _delivered += count / 2;
        }
        return count;
    }
}

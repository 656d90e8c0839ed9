using System.Runtime.CompilerServices;
using VoiceAgent.Audio.Capture;
using VoiceAgent.Audio.Output;
using VoiceAgent.Audio;
using VoiceAgent.Dsp;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Memory.Benchmarks;

/// <summary>
/// A speaker and a microphone on a <see cref="CompressedClock"/>: what is played comes back into
/// the microphone <c>echoDelay</c> later at <c>echoGain</c> (the virtual room's default room), and
/// frames are captured as fast as the clock runs. Unlike the virtual room it keeps no recording,
/// only the last seconds of what was played (for the echo), so over a long run its own memory
/// stays flat and what grows is the pipeline's.
/// </summary>
internal sealed class CompressedRoom : IAudioOutput, IAudioCapture
{
    private const int RoomRate = CaptureFormat.SampleRate;
    private const int RingSamples = 1 << 18; // 16 s of played audio: far more than the echo path or any capture lag
    private static readonly TimeSpan PlaybackBuffer = TimeSpan.FromMilliseconds(60);

    private readonly object _gate = new();
    private readonly CompressedClock _clock;
    private readonly Resampler? _toRoom;
    private readonly short[] _played = new short[RingSamples]; // by room sample, modulo the ring
    private readonly int _echoDelay;
    private readonly double _echoGain;
    private readonly int _bufferSamples = Pcm16.SamplesFor(PlaybackBuffer, RoomRate);
    private long _playedUntil; // room sample after the last one written
    private long _writtenSamples;
    private volatile bool _measureLag;

    public CompressedRoom(CompressedClock clock, int outputSampleRate, TimeSpan echoDelay, double echoGain)
    {
        _clock = clock;
        SampleRate = outputSampleRate;
        _toRoom = outputSampleRate == RoomRate ? null : new Resampler(outputSampleRate, RoomRate);
        _echoDelay = Pcm16.SamplesFor(echoDelay, RoomRate);
        _echoGain = echoGain;
    }

    public string Name => "compressed room";

    public int SampleRate { get; }

    /// <summary>How far behind its clock the microphone delivered a frame, at worst (room time):
    /// a large figure means the compressed pipeline could not keep up.</summary>
    public TimeSpan WorstCaptureLag { get; private set; }

    /// <summary>Audio the speaker was given to play (room time; silence between replies not counted).</summary>
    public TimeSpan Played => Pcm16.Duration(Interlocked.Read(ref _writtenSamples), RoomRate);

    /// <summary>From now on, measure how far the microphone falls behind (not while the pipeline
    /// starts: the clock runs from before the microphone opens).</summary>
    public void StartMeasuringCaptureLag() => _measureLag = true;

    private long NowSample => (long)(_clock.Elapsed.TotalSeconds * RoomRate);

    // ---- speaker -------------------------------------------------------------------------------

    public void Write(ReadOnlySpan<short> samples)
    {
        var room = _toRoom is null ? samples.ToArray() : _toRoom.Process(samples);
        while (true)
        {
            lock (_gate)
            {
                var now = NowSample;
                PlaySilenceUntil(now); // an underrun: silence was played
                if (_playedUntil - now + room.Length <= _bufferSamples || room.Length > _bufferSamples && _playedUntil <= now)
                {
                    foreach (var sample in room) _played[_playedUntil++ % RingSamples] = sample;
                    Interlocked.Add(ref _writtenSamples, room.Length);
                    return;
                }
            }
            Thread.Sleep(1);
        }
    }

    public TimeSpan BufferSize => PlaybackBuffer;

    public TimeSpan Latency
    {
        get
        {
            lock (_gate) return Pcm16.Duration(Math.Max(0, _playedUntil - NowSample), RoomRate);
        }
    }

    public TimeSpan Flush()
    {
        lock (_gate)
        {
            var now = NowSample;
            if (_playedUntil <= now) return TimeSpan.Zero;
            var dropped = _playedUntil - now;
            _playedUntil = now;
            return Pcm16.Duration(dropped, RoomRate);
        }
    }

    public void Drain()
    {
        while (Latency > TimeSpan.Zero) Thread.Sleep(1);
    }

    void IDisposable.Dispose()
    {
    }

    // ---- microphone ----------------------------------------------------------------------------

    public async IAsyncEnumerable<AudioFrame> ReadFramesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Frame k holds room samples [320k, 320k + 320), delivered when the clock has passed them.
        for (long frame = 0; ; frame++)
        {
            var end = Pcm16.Duration((frame + 1) * CaptureFormat.FrameSamples, RoomRate);
            var early = end - _clock.Elapsed;
            if (early > TimeSpan.Zero) await Task.Delay(_clock.WallTime(early), cancellationToken);
            else if (_measureLag && -early > WorstCaptureLag) WorstCaptureLag = -early;
            cancellationToken.ThrowIfCancellationRequested();
            yield return new AudioFrame(Echo(frame * CaptureFormat.FrameSamples), Pcm16.Duration(frame * CaptureFormat.FrameSamples, RoomRate));
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The microphone's 20 ms from <paramref name="start"/>: the played audio, delayed and scaled.</summary>
    private short[] Echo(long start)
    {
        var frame = new short[CaptureFormat.FrameSamples];
        lock (_gate)
        {
            PlaySilenceUntil(start + frame.Length);
            for (var i = 0; i < frame.Length; i++)
            {
                var heard = start + i - _echoDelay;
                if (heard >= 0) frame[i] = (short)Math.Round(_echoGain * _played[heard % RingSamples]);
            }
        }
        return frame;
    }

    /// <summary>Nothing was written for the room samples before <paramref name="sample"/>: they were silent.</summary>
    private void PlaySilenceUntil(long sample)
    {
        while (_playedUntil < sample) _played[_playedUntil++ % RingSamples] = 0;
    }
}

using System.Diagnostics;
using System.Runtime.CompilerServices;
using NAudio.Wave.SampleProviders;
using VoiceAgent.Audio.Capture;
using VoiceAgent.Audio.Output;
using VoiceAgent.Dsp;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Audio.Room;

/// <summary>How the room is set up: the echo path from speaker to microphone, and the noise.</summary>
public sealed record RoomAcoustics
{
    /// <summary>Speaker-to-microphone delay (sound in air plus device latency).</summary>
    public TimeSpan EchoDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Level of the direct echo relative to what is played (0 = headset).</summary>
    public double EchoGain { get; init; } = 0.3;

    /// <summary>Spacing of the reverberation's reflections; zero turns reverberation off.</summary>
    public TimeSpan ReverbSpacing { get; init; } = TimeSpan.Zero;

    /// <summary>How much each reflection keeps of the one before (0..0.95).</summary>
    public double ReverbDecay { get; init; } = 0.4;

    /// <summary>Level of white noise at the microphone, in dBFS; null for none.</summary>
    public double? NoiseDbfs { get; init; }

    /// <summary>Audio a "sound card" may hold ahead of what is heard: writes block beyond it.</summary>
    public TimeSpan PlaybackBuffer { get; init; } = TimeSpan.FromMilliseconds(60);

    public int NoiseSeed { get; init; } = 1;
}

/// <summary>
/// A room for tests, demos and benchmarks, on one audio clock (16 kHz, real time from
/// construction): what is played (it is an <see cref="IAudioOutput"/>) comes back into the
/// microphone (it is an <see cref="IAudioCapture"/>) through the echo path, mixed with user
/// speech at scripted times and with noise. Both streams are recorded, so a scenario can be
/// measured afterwards sample by sample on one timeline (<see cref="Speaker"/>,
/// <see cref="Microphone"/>, <see cref="Save"/>).
/// </summary>
public sealed class VirtualRoom : IAudioOutput, IAudioCapture
{
    public const int RoomRate = CaptureFormat.SampleRate;

    private readonly object _gate = new();
    private readonly long _start = Stopwatch.GetTimestamp(); // the room clock's zero
    private readonly RoomAcoustics _acoustics;
    private readonly Resampler? _toRoom;
    private readonly List<short> _speaker = new();     // what was played, by room sample
    private readonly List<short> _microphone = new();  // what the microphone delivered
    // Echo, scripted speech and noise, mixed in step with the microphone's timeline.
    private readonly MixingSampleProvider _mixer = new(RoomSources.Format) { ReadFully = true };
    private readonly int _bufferSamples;
    private float[] _mixed = [];
    private bool _captureStarted;

    public VirtualRoom(RoomAcoustics? acoustics = null, int outputSampleRate = RoomRate)
    {
        _acoustics = acoustics ?? new RoomAcoustics();
        SampleRate = outputSampleRate;
        _toRoom = outputSampleRate == RoomRate ? null : new Resampler(outputSampleRate, RoomRate);
        _bufferSamples = Pcm16.SamplesFor(_acoustics.PlaybackBuffer, RoomRate);
        _mixer.AddMixerInput(new EchoPath(n => n < _speaker.Count ? _speaker[(int)n] : (short)0,
            Pcm16.SamplesFor(_acoustics.EchoDelay, RoomRate), _acoustics.EchoGain,
            Pcm16.SamplesFor(_acoustics.ReverbSpacing, RoomRate), _acoustics.ReverbDecay));
        if (_acoustics.NoiseDbfs is { } noise) _mixer.AddMixerInput(new WhiteNoise(noise, _acoustics.NoiseSeed));
    }

    public string Name => "virtual room";

    /// <summary>The rate the output side takes (what the player writes).</summary>
    public int SampleRate { get; }

    /// <summary>Room time now (the shared audio clock).</summary>
    public TimeSpan Now => Elapsed;

    private TimeSpan Elapsed => Stopwatch.GetElapsedTime(_start);

    private long NowSample => (long)(Elapsed.TotalSeconds * RoomRate);

    /// <summary>Plays user speech into the microphone at <paramref name="at"/> on the room clock.</summary>
    public void AddSpeech(ReadOnlySpan<short> samples, int sampleRate, TimeSpan at)
    {
        var room = Resampler.Convert(samples, sampleRate, RoomRate);
        // Placed relative to what the microphone has delivered: the mixer reads on from there.
        lock (_gate) _mixer.AddMixerInput(new ScheduledSpeech(room, Pcm16.SamplesFor(at, RoomRate) - _microphone.Count));
    }

    public void AddSpeech(string wavPath, TimeSpan at)
    {
        var wav = WavFile.Read(wavPath);
        AddSpeech(wav.Samples, wav.SampleRate, at);
    }

    /// <summary>Everything played so far, at 16 kHz, indexed by room time.</summary>
    public short[] Speaker
    {
        get { lock (_gate) return _speaker.Take((int)Math.Min(_speaker.Count, NowSample)).ToArray(); }
    }

    /// <summary>Everything the microphone delivered so far, at 16 kHz, indexed by room time.</summary>
    public short[] Microphone
    {
        get { lock (_gate) return _microphone.ToArray(); }
    }

    /// <summary>Writes speaker.wav and microphone.wav (16 kHz, same timeline) into a folder.</summary>
    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        WavFile.Write(Path.Combine(folder, "speaker.wav"), Speaker, RoomRate);
        WavFile.Write(Path.Combine(folder, "microphone.wav"), Microphone, RoomRate);
    }

    // ---- output side -------------------------------------------------------------------------

    public void Write(ReadOnlySpan<short> samples)
    {
        var room = _toRoom is null ? samples.ToArray() : _toRoom.Process(samples);
        while (true)
        {
            lock (_gate)
            {
                var now = NowSample;
                if (_speaker.Count < now) PadSpeaker(now); // an underrun: silence was played
                if (_speaker.Count - now + room.Length <= _bufferSamples || room.Length > _bufferSamples && _speaker.Count <= now)
                {
                    _speaker.AddRange(room);
                    return;
                }
            }
            Thread.Sleep(2);
        }
    }

    public TimeSpan BufferSize => _acoustics.PlaybackBuffer;

    public bool ExactLatency => true;

    public TimeSpan Latency
    {
        get
        {
            lock (_gate) return Pcm16.Duration(Math.Max(0, _speaker.Count - NowSample), RoomRate);
        }
    }

    public TimeSpan Flush()
    {
        lock (_gate)
        {
            var now = NowSample;
            if (_speaker.Count <= now) return TimeSpan.Zero;
            var dropped = _speaker.Count - (int)now;
            _speaker.RemoveRange((int)now, dropped);
            return Pcm16.Duration(dropped, RoomRate);
        }
    }

    public void Drain()
    {
        while (Latency > TimeSpan.Zero) Thread.Sleep(2);
    }

    void IDisposable.Dispose()
    {
    }

    // ---- capture side ------------------------------------------------------------------------

    public async IAsyncEnumerable<AudioFrame> ReadFramesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_captureStarted) throw new InvalidOperationException("the virtual room has one microphone reader");
            _captureStarted = true;
        }
        // The microphone's timeline is the room's: frame k holds room samples [320k, 320k + 320).
        for (long frame = 0; ; frame++)
        {
            var end = (frame + 1) * CaptureFormat.FrameSamples;
            var due = Pcm16.Duration(end, RoomRate) - Elapsed;
            if (due > TimeSpan.Zero) await Task.Delay(due, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            short[] samples;
            lock (_gate) samples = Mix(frame * CaptureFormat.FrameSamples, CaptureFormat.FrameSamples);
            // Stamped with the moment it was complete on the room's clock, as a sound card's driver
            // would: the reader may get it late on a busy machine.
            yield return new AudioFrame(samples, Pcm16.Duration(frame * CaptureFormat.FrameSamples, RoomRate))
            {
                DeliveredTimestamp = _start + (long)(Pcm16.Duration(end, RoomRate).TotalSeconds * Stopwatch.Frequency),
            };
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Microphone samples [start, start+count): script + noise + echo (+ reverberation).
    /// Called in order, so <paramref name="start"/> is always where the mixer stands.</summary>
    private short[] Mix(long start, int count)
    {
        PadSpeaker(start + count);
        if (_mixed.Length < count) _mixed = new float[count];
        _mixer.Read(_mixed, 0, count);
        var output = new short[count];
        for (var i = 0; i < count; i++) output[i] = Pcm16.FromFloat(_mixed[i]);
        _microphone.AddRange(output);
        return output;
    }

    /// <summary>Fills the speaker track with silence up to <paramref name="sample"/> (nothing was playing).</summary>
    private void PadSpeaker(long sample)
    {
        while (_speaker.Count < sample) _speaker.Add(0);
    }
}

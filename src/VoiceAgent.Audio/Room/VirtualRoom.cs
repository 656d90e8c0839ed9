using System.Diagnostics;
using System.Runtime.CompilerServices;
using VoiceAgent.Audio.Capture;
using VoiceAgent.Audio.Output;
using VoiceAgent.Protocol;

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
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly RoomAcoustics _acoustics;
    private readonly Resampler? _toRoom;
    private readonly List<short> _speaker = new();     // what was played, by room sample
    private readonly List<short> _microphone = new();  // what the microphone delivered
    private readonly List<float> _reverb = new();      // the echo with its reflections, by room sample
    private readonly List<(long Start, short[] Samples)> _script = new();
    private readonly Random _noise;
    private readonly int _bufferSamples;
    private bool _captureStarted;

    public VirtualRoom(RoomAcoustics? acoustics = null, int outputSampleRate = RoomRate)
    {
        _acoustics = acoustics ?? new RoomAcoustics();
        SampleRate = outputSampleRate;
        _toRoom = outputSampleRate == RoomRate ? null : new Resampler(outputSampleRate, RoomRate);
        _noise = new Random(_acoustics.NoiseSeed);
        _bufferSamples = Pcm16.SamplesFor(_acoustics.PlaybackBuffer, RoomRate);
    }

    public string Name => "virtual room";

    /// <summary>The rate the output side takes (what the player writes).</summary>
    public int SampleRate { get; }

    /// <summary>Room time now (the shared audio clock).</summary>
    public TimeSpan Now => _clock.Elapsed;

    private long NowSample => (long)(_clock.Elapsed.TotalSeconds * RoomRate);

    /// <summary>Plays user speech into the microphone at <paramref name="at"/> on the room clock.</summary>
    public void AddSpeech(ReadOnlySpan<short> samples, int sampleRate, TimeSpan at)
    {
        var room = Resampler.Convert(samples, sampleRate, RoomRate);
        lock (_gate) _script.Add((Pcm16.SamplesFor(at, RoomRate), room));
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
            var due = Pcm16.Duration(end, RoomRate) - _clock.Elapsed;
            if (due > TimeSpan.Zero) await Task.Delay(due, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            short[] samples;
            lock (_gate) samples = Mix(frame * CaptureFormat.FrameSamples, CaptureFormat.FrameSamples);
            yield return new AudioFrame(samples, Pcm16.Duration(frame * CaptureFormat.FrameSamples, RoomRate));
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Microphone samples [start, start+count): script + noise + echo (+ reverberation).</summary>
    private short[] Mix(long start, int count)
    {
        PadSpeaker(start + count);
        var delay = Pcm16.SamplesFor(_acoustics.EchoDelay, RoomRate);
        var spacing = Pcm16.SamplesFor(_acoustics.ReverbSpacing, RoomRate);
        var noise = _acoustics.NoiseDbfs is { } dbfs ? Math.Pow(10, dbfs / 20) * 32768 * Math.Sqrt(3) : 0;
        var output = new short[count];
        for (var i = 0; i < count; i++)
        {
            var n = start + i;
            var direct = n - delay >= 0 && n - delay < _speaker.Count ? _speaker[(int)(n - delay)] : 0;
            // Reflections: a feedback comb, each reflection a decayed copy of the echo before it.
            var echo = (float)direct;
            if (spacing > 0 && n - spacing >= 0 && n - spacing < _reverb.Count)
                echo += (float)_acoustics.ReverbDecay * _reverb[(int)(n - spacing)];
            if (_reverb.Count == n) _reverb.Add(echo);
            double sample = _acoustics.EchoGain * echo;
            foreach (var (at, speech) in _script)
                if (n >= at && n < at + speech.Length) sample += speech[n - at];
            if (noise > 0) sample += (_noise.NextDouble() * 2 - 1) * noise;
            output[i] = (short)Math.Clamp(Math.Round(sample), short.MinValue, short.MaxValue);
        }
        _microphone.AddRange(output);
        return output;
    }

    /// <summary>Fills the speaker track with silence up to <paramref name="sample"/> (nothing was playing).</summary>
    private void PadSpeaker(long sample)
    {
        while (_speaker.Count < sample) _speaker.Add(0);
    }
}

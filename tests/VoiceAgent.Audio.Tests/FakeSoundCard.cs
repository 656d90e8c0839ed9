using System.Diagnostics;
using NAudio.Wave;
using VoiceAgent.Dsp;

namespace VoiceAgent.Audio.Tests;

/// <summary>
/// A test double of a pull-model sound card — what WASAPI and WaveOut are to NAudio, which cannot
/// run here. After <see cref="Play"/> its own thread takes audio from the source every
/// <c>period</c>, keeping <c>buffer</c> taken ahead of what it has played, and plays it in real
/// time. If that thread is late the card stalls (its position waits at the end of what it took),
/// as WaveOut does, so nothing is skipped. It reports its position like the real devices
/// (<see cref="IWavePosition"/>) and records what was played.
/// </summary>
internal sealed class FakeSoundCard(TimeSpan period, TimeSpan buffer) : IWavePlayer, IWavePosition
{
    private readonly object _gate = new();
    private readonly List<short> _taken = new();
    private readonly Stopwatch _clock = new();
    private IWaveProvider? _source;
    private Thread? _thread;
    private volatile bool _running;
    private long _positionAtTick;
    private TimeSpan _tickTime;

    public event EventHandler<StoppedEventArgs>? PlaybackStopped;

    public float Volume { get; set; } = 1;

    public PlaybackState PlaybackState => _running ? PlaybackState.Playing : PlaybackState.Stopped;

    public WaveFormat OutputWaveFormat => _source!.WaveFormat;

    private int Rate => _source!.WaveFormat.SampleRate;

    public void Init(IWaveProvider waveProvider) => _source = waveProvider;

    public void Play()
    {
        if (_running) return;
        _running = true;
        _clock.Start();
        _thread = new Thread(Run) { IsBackground = true, Name = "fake-sound-card" };
        _thread.Start();
    }

    public void Pause() => throw new NotSupportedException("the output never pauses its device");

    public void Stop()
    {
        _running = false;
        _thread?.Join();
    }

    public void Dispose() => Stop();

    /// <summary>Makes the device fail as a real one does: it stops and says why.</summary>
    public void Fail(Exception reason)
    {
        Stop();
        PlaybackStopped?.Invoke(this, new StoppedEventArgs(reason));
    }

    public long GetPosition()
    {
        lock (_gate) return PositionNow() * _source!.WaveFormat.BlockAlign;
    }

    /// <summary>Every sample played so far, silence included.</summary>
    public short[] Played
    {
        get { lock (_gate) return _taken.Take((int)PositionNow()).ToArray(); }
    }

    /// <summary>What was played, without the silence the output fills gaps with (test signals have no zero samples).</summary>
    public short[] Heard => Played.Where(s => s != 0).ToArray();

    private long PositionNow()
    {
        if (_source is null) return 0;
        var elapsed = _clock.Elapsed - _tickTime;
        return Math.Min(_taken.Count, _positionAtTick + (long)(elapsed.TotalSeconds * Rate));
    }

    private void Run()
    {
        var ahead = (int)(buffer.TotalSeconds * Rate);
        var bytes = new byte[ahead * _source!.WaveFormat.BlockAlign];
        while (_running)
        {
            lock (_gate)
            {
                _positionAtTick = PositionNow();
                _tickTime = _clock.Elapsed;
                var wanted = (int)(_positionAtTick + ahead - _taken.Count);
                if (wanted > 0)
                {
                    var count = wanted * _source.WaveFormat.BlockAlign;
                    var read = _source.Read(bytes, 0, count);
                    _taken.AddRange(Pcm16.FromBytes(bytes.AsSpan(0, read)));
                }
            }
            Thread.Sleep(period);
        }
    }
}

/// <summary>A test double of a recording device (what WASAPI capture and WaveIn are to NAudio):
/// the test hands it buffers in its format, and it raises them as the real ones do.</summary>
internal sealed class FakeRecorder(WaveFormat format) : IWaveIn
{
    public event EventHandler<WaveInEventArgs>? DataAvailable;

    public event EventHandler<StoppedEventArgs>? RecordingStopped;

    public WaveFormat WaveFormat { get; set; } = format;

    public bool Recording { get; private set; }

    public bool Disposed { get; private set; }

    public Exception? StartFailure { get; init; }

    public void StartRecording()
    {
        if (StartFailure is not null) throw StartFailure;
        Recording = true;
    }

    public void StopRecording()
    {
        if (!Recording) return;
        Recording = false;
        RecordingStopped?.Invoke(this, new StoppedEventArgs());
    }

    public void Deliver(byte[] data) => DataAvailable?.Invoke(this, new WaveInEventArgs(data, data.Length));

    public void Fail(Exception reason)
    {
        Recording = false;
        RecordingStopped?.Invoke(this, new StoppedEventArgs(reason));
    }

    public void Dispose() => Disposed = true;
}

/// <summary>
/// A pull-model sound card that moves only when the test says (<see cref="Advance"/>): it keeps
/// <c>buffer</c> taken ahead of what it has played and plays exactly the time it is advanced.
/// With a <see cref="ManualClock"/> moved alongside, when each sample is played is known exactly.
/// </summary>
internal sealed class SteppedSoundCard(TimeSpan buffer) : IWavePlayer, IWavePosition
{
    private readonly object _gate = new();
    private readonly List<short> _taken = new();
    private IWaveProvider? _source;
    private long _position;

    public event EventHandler<StoppedEventArgs>? PlaybackStopped { add { } remove { } }

    public float Volume { get; set; } = 1;

    public PlaybackState PlaybackState => PlaybackState.Playing;

    public WaveFormat OutputWaveFormat => _source!.WaveFormat;

    public void Init(IWaveProvider waveProvider) => _source = waveProvider;

    public void Play() => Take();

    public void Pause() { }

    public void Stop() { }

    public void Dispose() { }

    public long GetPosition()
    {
        lock (_gate) return _position * 2;
    }

    /// <summary>Every sample played so far, silence included.</summary>
    public short[] Played
    {
        get { lock (_gate) return _taken.Take((int)_position).ToArray(); }
    }

    /// <summary>Index in the card's stream of sample <paramref name="value"/> (test signals are unique).</summary>
    public int IndexOf(short value)
    {
        lock (_gate) return _taken.IndexOf(value);
    }

    /// <summary>Plays <paramref name="time"/> of audio, then tops its buffer up again.</summary>
    public void Advance(TimeSpan time)
    {
        lock (_gate) _position += Pcm16.SamplesFor(time, _source!.WaveFormat.SampleRate);
        Take();
    }

    private void Take()
    {
        lock (_gate)
        {
            var wanted = (int)(_position + Pcm16.SamplesFor(buffer, _source!.WaveFormat.SampleRate) - _taken.Count);
            if (wanted <= 0) return;
            var bytes = new byte[wanted * 2];
            _source.Read(bytes, 0, bytes.Length);
            _taken.AddRange(Pcm16.FromBytes(bytes));
        }
    }
}

/// <summary>A clock that moves only when the test moves it.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan time) => Interlocked.Add(ref _ticks, time.Ticks);
}

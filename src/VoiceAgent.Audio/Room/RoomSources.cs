using NAudio.Wave;

namespace VoiceAgent.Audio.Room;

/// <summary>
/// The sounds that reach the virtual room's microphone, as NAudio sample providers that a
/// <see cref="NAudio.Wave.SampleProviders.MixingSampleProvider"/> mixes. Each is read in step
/// with the microphone's timeline from the moment it is added (16 kHz mono float, full scale 1).
/// </summary>
internal static class RoomSources
{
    public static readonly WaveFormat Format = WaveFormat.CreateIeeeFloatWaveFormat(VirtualRoom.RoomRate, 1);
}

/// <summary>What the speaker played, <c>delay</c> later at <c>gain</c>, with reflections: a feedback
/// comb, each reflection a decayed copy of the echo <c>spacing</c> before it. Never ends.</summary>
internal sealed class EchoPath(Func<long, short> speakerAt, int delay, double gain, int spacing, double decay) : ISampleProvider
{
    private readonly List<float> _echo = new(); // the echo with its reflections, by room sample

    public WaveFormat WaveFormat => RoomSources.Format;

    public int Read(float[] buffer, int offset, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var n = _echo.Count;
            var echo = (float)(n >= delay ? speakerAt(n - delay) : 0);
            if (spacing > 0 && n >= spacing) echo += (float)decay * _echo[n - spacing];
            _echo.Add(echo);
            buffer[offset + i] = (float)(gain * echo / 32768.0);
        }
        return count;
    }
}

/// <summary>Scripted speech that starts <c>startsIn</c> samples after it was added (negative: it
/// started that long ago, so that part is skipped). Silence before it; ends after it.</summary>
internal sealed class ScheduledSpeech(short[] samples, long startsIn) : ISampleProvider
{
    private long _position = -startsIn; // index into the speech of the next sample read

    public WaveFormat WaveFormat => RoomSources.Format;

    public int Read(float[] buffer, int offset, int count)
    {
        var written = 0;
        while (written < count && _position < samples.Length)
        {
            buffer[offset + written++] = _position < 0 ? 0 : samples[_position] / 32768f;
            _position++;
        }
        return written;
    }
}

/// <summary>Uniform white noise of a given RMS level (dBFS), from a seeded generator. Never ends.</summary>
internal sealed class WhiteNoise(double dbfs, int seed) : ISampleProvider
{
    private readonly Random _random = new(seed);
    private readonly double _peak = Math.Pow(10, dbfs / 20) * Math.Sqrt(3);

    public WaveFormat WaveFormat => RoomSources.Format;

    public int Read(float[] buffer, int offset, int count)
    {
        for (var i = 0; i < count; i++) buffer[offset + i] = (float)((_random.NextDouble() * 2 - 1) * _peak);
        return count;
    }
}

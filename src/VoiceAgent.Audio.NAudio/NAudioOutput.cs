using NAudio.Wave;
using VoiceAgent.Audio.Output;

namespace VoiceAgent.Audio.NAudio;

/// <summary>
/// Playback through WinMM (<see cref="WaveOutEvent"/>) fed from a <see cref="BufferedWaveProvider"/>.
/// <see cref="Write"/> waits while the provider holds a full buffer, so the player's small pieces
/// pace it; <see cref="Flush"/> clears the provider (what WaveOut already took still plays).
/// </summary>
public sealed class NAudioOutput : IAudioOutput
{
    private readonly BufferedWaveProvider _provider;
    private readonly WaveOutEvent _device;
    private readonly TimeSpan _deviceLatency;

    /// <param name="deviceNumber">WaveOut device number; -1 is the default (WAVE_MAPPER).</param>
    public NAudioOutput(int deviceNumber, string name, int sampleRate, TimeSpan buffer)
    {
        Name = name;
        SampleRate = sampleRate;
        BufferSize = buffer;
        _provider = new BufferedWaveProvider(new WaveFormat(sampleRate, 16, 1))
        {
            BufferDuration = TimeSpan.FromSeconds(2),
            DiscardOnBufferOverflow = false,
            // Silence when empty, so the device keeps running and a reply starts without delay.
            ReadFully = true,
        };
        _deviceLatency = TimeSpan.FromMilliseconds(Math.Max(40, (int)(buffer.TotalMilliseconds / 2)));
        _device = new WaveOutEvent { DeviceNumber = deviceNumber, DesiredLatency = (int)_deviceLatency.TotalMilliseconds, NumberOfBuffers = 2 };
        _device.Init(_provider);
        _device.Play();
    }

    public string Name { get; }

    public int SampleRate { get; }

    public TimeSpan BufferSize { get; }

    public TimeSpan Latency => _provider.BufferedDuration + _deviceLatency;

    public void Write(ReadOnlySpan<short> samples)
    {
        var bytes = Pcm16.ToBytes(samples);
        var duration = Pcm16.Duration(samples.Length, SampleRate);
        while (_provider.BufferedDuration + duration > BufferSize && _provider.BufferedBytes > 0)
            Thread.Sleep(2);
        _provider.AddSamples(bytes, 0, bytes.Length);
    }

    public TimeSpan Flush()
    {
        // What the device itself already holds is still heard; only the buffer is dropped.
        var dropped = _provider.BufferedDuration;
        _provider.ClearBuffer();
        return dropped;
    }

    public void Drain()
    {
        while (_provider.BufferedBytes > 0) Thread.Sleep(5);
        Thread.Sleep(_deviceLatency);
    }

    public void Dispose()
    {
        _device.Stop();
        _device.Dispose();
    }
}

using VoiceAgent.Audio.Capture;
using VoiceAgent.Dsp;
using static VoiceAgent.Audio.Pulse.PulseSimpleNative;

namespace VoiceAgent.Audio.Pulse;

/// <summary>
/// One libpulse-simple stream (playback or record) of mono s16. Not thread-safe: one thread
/// uses it. Errors become <see cref="AudioDeviceException"/> with a one-line reason.
/// </summary>
internal sealed class PulseStream : IDisposable
{
    private IntPtr _handle;

    private PulseStream(IntPtr handle, string name)
    {
        _handle = handle;
        Name = name;
    }

    public string Name { get; }

    public static PulseStream Open(string? server, bool playback, string? device, string streamName, int sampleRate, BufferAttr attributes)
    {
        var spec = new SampleSpec { Format = SampleS16Le, Rate = (uint)sampleRate, Channels = 1 };
        var name = "pulse:" + (string.IsNullOrEmpty(device) ? "default" : device);
        IntPtr handle;
        int error;
        try
        {
            handle = pa_simple_new(string.IsNullOrEmpty(server) ? null : server, "voice-agent", playback ? StreamPlayback : StreamRecord,
                string.IsNullOrEmpty(device) ? null : device, streamName, ref spec, IntPtr.Zero, ref attributes, out error);
        }
        catch (DllNotFoundException)
        {
            throw new AudioDeviceException($"{SimpleLibrary} is not installed (Debian/Ubuntu: apt-get install libpulse0)");
        }
        if (handle == IntPtr.Zero)
        {
            var what = playback ? "playback" : "capture";
            throw new AudioDeviceException($"PulseAudio {what} on {name} at {PulseIntrospection.ServerName(server)} failed: {ErrorText(error)}");
        }
        return new PulseStream(handle, name);
    }

    public static uint Bytes(TimeSpan duration, int sampleRate) => (uint)(Pcm16.SamplesFor(duration, sampleRate) * 2);

    public unsafe void Write(ReadOnlySpan<short> samples)
    {
        fixed (short* data = samples)
        {
            if (pa_simple_write(Handle, data, (nuint)(samples.Length * 2), out var error) < 0)
                throw Failure("write", error);
        }
    }

    /// <summary>Blocks until <paramref name="samples"/> is full.</summary>
    public unsafe void Read(Span<short> samples)
    {
        fixed (short* data = samples)
        {
            if (pa_simple_read(Handle, data, (nuint)(samples.Length * 2), out var error) < 0)
                throw Failure("read", error);
        }
    }

    public TimeSpan Latency
    {
        get
        {
            var micros = pa_simple_get_latency(Handle, out _);
            // (pa_usec_t)-1 is an error; treat anything absurd as "nothing pending".
            return micros > 10_000_000 ? TimeSpan.Zero : TimeSpan.FromTicks((long)micros * 10);
        }
    }

    /// <summary>Drops what the server holds; returns how much that was. The simple API does not
    /// say what a flush dropped: it is the latency just before, less what played while the flush
    /// went to the server and back (a round trip that takes tens of ms when the machine is busy).</summary>
    public TimeSpan Flush()
    {
        var before = Latency;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        if (pa_simple_flush(Handle, out var error) < 0) throw Failure("flush", error);
        var dropped = before - System.Diagnostics.Stopwatch.GetElapsedTime(started);
        return dropped > TimeSpan.Zero ? dropped : TimeSpan.Zero;
    }

    public void Drain()
    {
        if (pa_simple_drain(Handle, out var error) < 0) throw Failure("drain", error);
    }

    private IntPtr Handle => _handle != IntPtr.Zero ? _handle : throw new ObjectDisposedException(Name);

    private AudioDeviceException Failure(string operation, int error) =>
        new($"PulseAudio {operation} on {Name} failed: {ErrorText(error)}");

    public void Dispose()
    {
        if (_handle == IntPtr.Zero) return;
        pa_simple_free(_handle);
        _handle = IntPtr.Zero;
    }
}

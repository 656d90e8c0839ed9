using VoiceAgent.Audio.Output;

namespace VoiceAgent.Audio.Playback;

/// <summary>
/// Decides, before a piece is written, whether the device has room for it, so the writer waits
/// for room (where a stop or pause can wake it) rather than blocking inside
/// <see cref="IAudioOutput.Write"/>: a stop never waits for a write in progress.
/// </summary>
internal sealed class DeviceBackPressure(IAudioOutput output, TimeSpan pieceDuration, TimeProvider clock)
{
    /// <summary>How long a full device may hold its latency still before a piece is written anyway.</summary>
    private static readonly TimeSpan StalledDevice = TimeSpan.FromMilliseconds(250);

    private DateTimeOffset? _stalledSince;
    private TimeSpan _stalledLatency;

    /// <summary>Pieces written into a full device that had stopped playing.</summary>
    public long StalledWrites { get; private set; }

    /// <summary>How long to wait before looking again, or null when the next piece can be
    /// written now.</summary>
    public TimeSpan? WaitForRoom()
    {
        if (output.BufferSize <= TimeSpan.Zero) return null;
        var latency = output.Latency;
        var excess = latency + pieceDuration - output.BufferSize;
        if (excess < TimeSpan.FromMilliseconds(1))
        {
            _stalledSince = null;
            return null;
        }
        // A full device whose latency does not move is not playing: PulseAudio was seen, on a
        // heavily loaded machine, to leave a stream that had been flushed for a pause waiting
        // to start with a nearly full buffer, for good. Another piece gets it going; waiting on
        // would leave the reply unfinished forever.
        var now = clock.GetUtcNow();
        if (_stalledSince is not { } since || Math.Abs((latency - _stalledLatency).TotalMilliseconds) > 0.5)
        {
            _stalledSince = now;
            _stalledLatency = latency;
        }
        else if (now - since > StalledDevice)
        {
            _stalledSince = null;
            StalledWrites++;
            return null;
        }
        return excess;
    }
}

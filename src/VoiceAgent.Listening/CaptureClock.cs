using VoiceAgent.Dsp;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Listening;

/// <summary>
/// Maps the microphone's capture clock (frame positions) to wall-clock time and back. A frame
/// arrives some time after its samples were captured, never before, so the least delayed frame
/// seen so far gives the best estimate of when capture position zero was.
/// </summary>
public sealed class CaptureClock
{
    private DateTimeOffset? _start;

    public bool IsKnown => _start is not null;

    /// <summary>A microphone frame came in at <paramref name="receivedAt"/>. It counts as having
    /// arrived when it was stamped on arrival (<see cref="AudioFrame.ArrivedAt"/>), before it
    /// waited in any queue; an unstamped frame, when it was received. Returns what
    /// <see cref="Observe(TimeSpan, DateTimeOffset)"/> does.</summary>
    public TimeSpan Observe(AudioFrame frame, DateTimeOffset receivedAt) =>
        Observe(frame.Position + Pcm16.Duration(frame.Samples.Length, CaptureFormat.SampleRate), frame.ArrivedAt ?? receivedAt);

    /// <summary>A frame ending at capture position <paramref name="frameEnd"/> arrived at
    /// <paramref name="arrivedAt"/>. Returns how much later <see cref="ToCapture"/> now puts a
    /// given moment (zero when the estimate did not change, or on the first frame).</summary>
    public TimeSpan Observe(TimeSpan frameEnd, DateTimeOffset arrivedAt)
    {
        var start = arrivedAt - frameEnd;
        if (_start is { } known && start >= known) return TimeSpan.Zero;
        var moved = _start is { } previous ? previous - start : TimeSpan.Zero;
        _start = start;
        return moved;
    }

    public DateTimeOffset ToWallClock(TimeSpan position) => (_start ?? DateTimeOffset.UnixEpoch) + position;

    public TimeSpan? ToCapture(DateTimeOffset at) => _start is { } start ? at - start : null;
}

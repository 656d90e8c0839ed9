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

    /// <summary>A frame ending at capture position <paramref name="frameEnd"/> arrived at <paramref name="arrivedAt"/>.</summary>
    public void Observe(TimeSpan frameEnd, DateTimeOffset arrivedAt)
    {
        var start = arrivedAt - frameEnd;
        if (_start is null || start < _start) _start = start;
    }

    public DateTimeOffset ToWallClock(TimeSpan position) => (_start ?? DateTimeOffset.UnixEpoch) + position;

    public TimeSpan? ToCapture(DateTimeOffset at) => _start is { } start ? at - start : null;
}

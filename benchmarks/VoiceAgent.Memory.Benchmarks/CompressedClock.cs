namespace VoiceAgent.Memory.Benchmarks;

/// <summary>
/// A clock that runs <see cref="Speed"/> times faster than the wall clock, from the moment it is
/// made. The playback and microphone actors stamp with it, and <see cref="CompressedRoom"/> plays
/// and captures by it, so the pipeline hears and plays an hour's audio in an hour ÷ speed.
/// </summary>
internal sealed class CompressedClock(double speed) : TimeProvider
{
    private readonly DateTimeOffset _origin = TimeProvider.System.GetUtcNow();
    private readonly long _started = TimeProvider.System.GetTimestamp();

    public double Speed { get; } = speed;

    /// <summary>Compressed time since the clock was made.</summary>
    public TimeSpan Elapsed => TimeProvider.System.GetElapsedTime(_started) * Speed;

    public override DateTimeOffset GetUtcNow() => _origin + Elapsed;

    /// <summary>How long to wait on the wall clock for <paramref name="compressed"/> to pass here.</summary>
    public TimeSpan WallTime(TimeSpan compressed) => compressed / Speed;
}

namespace VoiceAgent.Pipeline;

/// <summary>
/// How long to wait before the next attempt at something that failed (a dropped TTS socket, a chat
/// request refused with 429 or 5xx): the first wait, doubled at every attempt after it, never more
/// than the cap, so a service that is down is not hammered and one that is back is found soon.
/// </summary>
public readonly record struct Backoff(TimeSpan First, TimeSpan Cap)
{
    /// <summary>Doubling without a cap.</summary>
    public Backoff(TimeSpan first) : this(first, TimeSpan.MaxValue)
    {
    }

    /// <summary>The wait before retry number <paramref name="attempt"/> (1 for the first retry).</summary>
    public TimeSpan Delay(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        // Doubled in ticks as a double: far past the cap it saturates instead of overflowing.
        var ticks = First.Ticks * Math.Pow(2, attempt - 1);
        return ticks >= Cap.Ticks ? Cap : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The longer of this attempt's wait and what the server asked for, within the cap.</summary>
    public TimeSpan Delay(int attempt, TimeSpan? asked)
    {
        var delay = Delay(attempt);
        if (asked is { } wanted && wanted > delay) delay = wanted;
        return delay < Cap ? delay : Cap;
    }
}

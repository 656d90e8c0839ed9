namespace VoiceAgent.Memory.Benchmarks;

/// <summary>How fast one memory figure grows once warmed up, in MB per hour of conversation: the
/// least-squares slope through every sample taken after the warm-up (one sample per turn), so a
/// collection that happened to run just before the last sample does not decide the figure.</summary>
internal sealed record MemoryGrowth(string What, double AfterWarmUpMb, double EndMb, double MbPerHour)
{
    public static MemoryGrowth Of(string what, IReadOnlyList<MemorySample> samples, double warmUpMinutes, Func<MemorySample, double> figure)
    {
        var warm = samples.Where(s => s.Turns > 0 && s.ConversationMinutes >= warmUpMinutes).ToList();
        if (warm.Count < 2) return new MemoryGrowth(what, warm.Count == 1 ? figure(warm[0]) : 0, figure(samples[^1]), 0);
        var meanX = warm.Average(s => s.ConversationMinutes);
        var meanY = warm.Average(figure);
        var covariance = warm.Sum(s => (s.ConversationMinutes - meanX) * (figure(s) - meanY));
        var variance = warm.Sum(s => Math.Pow(s.ConversationMinutes - meanX, 2));
        var perMinute = variance > 0 ? covariance / variance : 0;
        return new MemoryGrowth(what, figure(warm[0]), figure(samples[^1]), Math.Round(perMinute * 60, 1));
    }
}

using System.Diagnostics;

namespace VoiceAgent.Simulation.Tests;

/// <summary>
/// A busy laptop: a busy loop on every core, at a lower priority than the assistant (nice 10, as
/// a background build or indexer runs), in child processes that are ended by their id on
/// dispose.
/// </summary>
public sealed class CpuHog : IDisposable
{
    private readonly List<Process> _loops = [];

    public CpuHog(int niceness = 10)
    {
        for (var core = 0; core < Environment.ProcessorCount; core++)
        {
            var start = new ProcessStartInfo("nice", ["-n", niceness.ToString(), "sh", "-c", "while :; do :; done"])
            {
                RedirectStandardInput = true,
            };
            _loops.Add(Process.Start(start) ?? throw new InvalidOperationException("could not start the CPU hog (nice, sh)"));
        }
    }

    /// <summary>CPU time the loops have taken so far (proof that they ran).</summary>
    public TimeSpan CpuTime => TimeSpan.FromTicks(_loops.Sum(p =>
    {
        p.Refresh();
        return p.HasExited ? 0 : p.TotalProcessorTime.Ticks;
    }));

    public void Dispose()
    {
        foreach (var loop in _loops)
        {
            try
            {
                loop.Kill();
                loop.WaitForExit(2000);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            loop.Dispose();
        }
    }
}

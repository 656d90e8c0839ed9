using VoiceAgent.Configuration;

namespace VoiceAgent.Simulation;

/// <summary>What <c>voice-agent simulate FILE</c> does: run the scenario, print the JSON report.
/// Exit code 0 when the scenario's expectations hold, 1 when they do not, 2 when it could not run.</summary>
public static class SimulateCli
{
    public static async Task<int> RunAsync(string file, ScenarioOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            var scenario = Scenario.Load(file);
            error.WriteLine($"simulating \"{scenario.Name}\" in the virtual room (real time)…");
            var report = await ScenarioRunner.RunAsync(scenario, options, cancellationToken);
            output.WriteLine(report.ToJson());
            foreach (var failure in report.Failures) error.WriteLine($"✗ {failure}");
            error.WriteLine(report.Passed ? "✓ all expectations met" : $"✗ {report.Failures.Count} expectation(s) not met");
            return report.Passed ? 0 : 1;
        }
        catch (Exception e) when (e is ScenarioException or InvalidConfigurationException)
        {
            error.WriteLine(e.Message);
            return 2;
        }
    }
}

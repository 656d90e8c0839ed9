using VoiceAgent.Simulation;
using VoiceAgent.TestSupport;

namespace VoiceAgent.Simulation.Tests;

/// <summary>Runs a scenario shipped in scenarios/ with the repository's VAD model, and writes its
/// report to the test's output (the timeline is what a failure is read from).</summary>
internal static class ShippedScenario
{
    public static async Task<ScenarioReport> RunAsync(string name, ITestOutputHelper output)
    {
        var scenario = Scenario.Load(Path.Combine(RepoPaths.Root, "scenarios", name + ".json"));
        var report = await ScenarioRunner.RunAsync(scenario, new ScenarioOptions { VadModel = RepoPaths.Model("silero_vad_v5.onnx") }, TestContext.Current.CancellationToken);
        output.WriteLine(report.ToJson());
        return report;
    }
}

using VoiceAgent.Simulation;
using VoiceAgent.TestSupport;

namespace VoiceAgent.Simulation.Tests;

/// <summary>
/// A conversation the user starts, in real time in the virtual room: each utterance is heard by
/// PocketSphinx, answered by the offline responder and spoken by the embedded TTS server, and
/// every step of the answer lands on the room's timeline in order.
/// </summary>
[Collection(RealTimeScenarios.Name)]
public sealed class ConversationScenarioTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("conversation-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Each_utterance_is_heard_answered_and_its_steps_are_on_the_timeline_in_order()
    {
        var speech = RepoPaths.Fixture("jfk.wav").Replace("\\", "/");
        var path = Path.Combine(_folder, "conversation.json");
        File.WriteAllText(path, $$"""
            {
              "stopReplyAfter": 0.5,
              "user": [
                { "at": 0.3, "speech": "{{speech}}", "from": 0.1, "length": 2.2 },
                { "at": 0.3, "speech": "{{speech}}", "from": 5.4, "length": 2.6 }
              ],
              "settings": { "listening.recognizer": "pocketsphinx" },
              "tail": 0.2,
              "expect": { "turns": 2 }
            }
            """);
        var scenario = Scenario.Load(path);
        Assert.True(scenario.IsUserLed);

        var report = await ScenarioRunner.RunAsync(scenario, new ScenarioOptions { VadModel = RepoPaths.Model("silero_vad_v5.onnx") }, TestContext.Current.CancellationToken);
        output.WriteLine(report.ToJson());

        Assert.True(report.Passed, string.Join("; ", report.Failures));
        Assert.Equal(2, report.Turns.Count);
        foreach (var turn in report.Turns)
        {
            Assert.NotEmpty(turn.Heard);
            Assert.True(turn.SpeechEndMs < turn.EndOfTurnMs, $"end of turn {turn.EndOfTurnMs} after the speech end {turn.SpeechEndMs}");
            Assert.True(turn.EndOfTurnMs <= turn.TranscriptMs);
            Assert.True(turn.TranscriptMs <= turn.FirstTokenMs);
            Assert.True(turn.FirstTokenMs <= turn.FirstAudioMs);
            Assert.NotNull(turn.PipelineVoiceToVoiceMs);
        }
        // Every answer was stopped, and the next utterance came only after it had ended.
        Assert.True(report.UserSounds[1].StartMs > report.Turns[0].FirstAudioMs);
    }
}

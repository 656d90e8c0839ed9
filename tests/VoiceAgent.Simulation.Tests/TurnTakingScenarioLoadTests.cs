using VoiceAgent.Simulation;
using VoiceAgent.TestSupport;

namespace VoiceAgent.Simulation.Tests;

/// <summary>What a scenario says about turn-taking is read and checked when it is loaded: the
/// scripted words, who transcribes, sounds that continue a turn, tools.</summary>
public sealed class TurnTakingScenarioLoadTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("scenario-").FullName;

    public TurnTakingScenarioLoadTests() => File.Copy(RepoPaths.Fixture("jfk.wav"), Path.Combine(_folder, "jfk.wav"));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private Scenario Load(string json)
    {
        var path = Path.Combine(_folder, "s.json");
        File.WriteAllText(path, json);
        return Scenario.Load(path);
    }

    [Fact]
    public void A_transcript_on_any_sound_makes_the_scripted_recognizer_the_default()
    {
        var scripted = Load("""{"reply":"Hi.","user":[{"at":1,"speech":"jfk.wav","length":0.4,"transcript":"uh-huh"}]}""");
        Assert.True(scripted.UsesScriptedRecognizer);
        Assert.Equal("uh-huh", scripted.User[0].Transcript);
        Assert.Contains("\"uh-huh\"", scripted.User[0].Describe());

        Assert.False(Load("""{"reply":"Hi.","recognizer":"real","user":[{"at":1,"speech":"jfk.wav","transcript":"uh-huh"}]}""").UsesScriptedRecognizer);
        Assert.True(Load("""{"reply":"Hi.","recognizer":"scripted"}""").UsesScriptedRecognizer);
        Assert.False(Load("""{"reply":"Hi.","user":[{"at":1,"speech":"jfk.wav"}]}""").UsesScriptedRecognizer);
    }

    [Fact]
    public void The_existing_scenarios_keep_the_configured_recognizer()
    {
        foreach (var name in new[] { "cough", "echo-only", "interrupt-mid-reply", "interrupt-hard-room" })
        {
            var scenario = Scenario.Load(Path.Combine(RepoPaths.Root, "scenarios", name + ".json"));
            Assert.False(scenario.UsesScriptedRecognizer, name);
            Assert.Empty(scenario.Tools);
        }
    }

    [Fact]
    public void Continuing_sounds_tools_and_a_recognition_delay_are_read()
    {
        var scenario = Load("""
            {
              "recognitionDelay": 0.8,
              "user": [
                {"at":0.3,"speech":"jfk.wav","transcript":"I was wondering if"},
                {"at":0.9,"continues":true,"speech":"jfk.wav","transcript":"you could tell me a story."}
              ],
              "tools": [{"name":"slow_lookup","description":"Looks it up.","seconds":3,"result":"done","finishIfInterrupted":true}]
            }
            """);
        Assert.True(scenario.IsUserLed);
        Assert.Equal(0.8, scenario.RecognitionDelay);
        Assert.False(scenario.User[0].Continues);
        Assert.True(scenario.User[1].Continues);
        var tool = Assert.Single(scenario.Tools);
        Assert.Equal(("slow_lookup", 3.0, "done", true), (tool.Name, tool.Seconds, tool.Result, tool.FinishIfInterrupted));
    }

    [Theory]
    [InlineData("""{"reply":"Hi.","recognizer":"whisper"}""", "\"recognizer\" is \"whisper\": use \"scripted\"")]
    [InlineData("""{"reply":"Hi.","recognizer":"scripted","recognitionDelay":-1}""", "\"recognitionDelay\" is -1 s")]
    [InlineData("""{"reply":"Hi.","recognitionDelay":1}""", "\"recognitionDelay\" only slows the scripted recognizer")]
    [InlineData("""{"reply":"Hi.","user":[{"at":1,"speech":"jfk.wav","transcript":" "}]}""", "\"user[0].transcript\" is empty")]
    [InlineData("""{"reply":"Hi.","user":[{"at":1,"speech":"jfk.wav","continues":true}]}""", "\"user[0].continues\" only goes on")]
    [InlineData("""{"user":[{"at":1,"speech":"jfk.wav","continues":true}]}""", "\"user[0].continues\" only goes on")]
    [InlineData("""{"reply":"Hi.","tools":null}""", "\"tools\" must be a list")]
    [InlineData("""{"reply":"Hi.","tools":[null]}""", "\"tools[0]\" is null")]
    [InlineData("""{"reply":"Hi.","tools":[{"name":"slow lookup","description":"x","result":""}]}""", "\"tools[0].name\" is \"slow lookup\"")]
    [InlineData("""{"reply":"Hi.","tools":[{"name":"a","description":"x"},{"name":"a","description":"y"}]}""", "\"tools[1].name\" \"a\" is offered twice")]
    [InlineData("""{"reply":"Hi.","tools":[{"name":"a","description":""}]}""", "\"tools[0].description\" is empty")]
    [InlineData("""{"reply":"Hi.","tools":[{"name":"a","description":"x","seconds":-2}]}""", "\"tools[0].seconds\" is -2 s")]
    [InlineData("""{"reply":"Hi.","tools":[{"name":"a","description":"x","result":null}]}""", "\"tools[0].result\" must be text")]
    [InlineData("""{"reply":"Hi.","expect":{"backchannels":-1}}""", "\"expect.backchannels\" is -1")]
    [InlineData("""{"reply":"Hi.","expect":{"userTurns":5000}}""", "\"expect.userTurns\" is 5000")]
    public void A_bad_turn_taking_field_is_one_line_naming_it(string json, string expected)
    {
        var message = Assert.Throws<ScenarioException>(() => Load(json)).Message;
        Assert.Contains(expected, message);
        Assert.DoesNotContain("\n", message);
    }
}

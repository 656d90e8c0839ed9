using VoiceAgent.Simulation;
using VoiceAgent.TestSupport;

namespace VoiceAgent.Simulation.Tests;

/// <summary>A scenario file is checked in full when it is loaded: one line naming the field.</summary>
public sealed class ScenarioValidationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("scenario-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string json, string name = "s.json")
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, json);
        return path;
    }

    private string Refused(string json) => Assert.Throws<ScenarioException>(() => Scenario.Load(Write(json))).Message;

    [Theory]
    [InlineData("""{"reply":"Hi.","user":null}""", "\"user\" must be a list of sounds")]
    [InlineData("""{"reply":"Hi.","settings":null}""", "\"settings\" must be an object")]
    [InlineData("""{"reply":"Hi.","expect":null}""", "\"expect\" must be an object")]
    [InlineData("""{"reply":"Hi.","room":null}""", "\"room\" must be an object")]
    [InlineData("""{"reply":"Hi.","user":[null]}""", "\"user[0]\" is null")]
    [InlineData("""{"reply":"Hi.","user":[{"at":1,"cough":-5}]}""", "\"user[0].cough\" is -5 s")]
    [InlineData("""{"reply":"Hi.","user":[{"at":1e12,"cough":0.2}]}""", "\"user[0].at\" is 1000000000000 s: use 0 s to 60 s")]
    [InlineData("""{"reply":"Hi.","room":{"echoGain":1e300}}""", "\"room.echoGain\" is 1E+300: use 0 to 4")]
    [InlineData("""{"reply":"Hi.","timeout":-1}""", "\"timeout\" is -1 s")]
    [InlineData("""{"reply":"Hi.","expect":{"interruptions":1e12}}""", "\"expect.interruptions\" has a value of the wrong kind or out of range")]
    [InlineData("""{"reply":"Hi.","settings":{"listening.mode":null}}""", "\"settings.listening.mode\" is null")]
    [InlineData("""{"reply":"Hi.","prompt":"Also this."}""", "either a \"reply\"")]
    [InlineData("""[1,2]""", "not a valid scenario")]
    [InlineData("""{}""", "or user speech (only speech) that starts the conversation")]
    [InlineData("""{"user":[{"at":1,"cough":0.2}]}""", "or user speech (only speech) that starts the conversation")]
    [InlineData("""{"reply":"Hi.","stopReplyAfter":-1}""", "\"stopReplyAfter\" is -1 s")]
    public void A_bad_field_is_one_line_naming_it(string json, string expected)
    {
        var message = Refused(json);
        Assert.Contains(expected, message);
        Assert.DoesNotContain("\n", message);
    }

    [Fact]
    public void A_speech_file_that_is_not_a_wav_or_is_cut_short_is_named()
    {
        File.WriteAllText(Path.Combine(_folder, "notes.wav"), "this is not audio");
        var message = Refused("""{"reply":"Hi.","user":[{"at":1,"speech":"notes.wav"}]}""");
        Assert.Contains("\"user[0].speech\" notes.wav is not a readable WAV file", message);

        var wav = File.ReadAllBytes(RepoPaths.Fixture("jfk.wav"));
        File.WriteAllBytes(Path.Combine(_folder, "cut.wav"), wav[..30]);
        Assert.Contains("cut.wav is not a readable WAV file", Refused("""{"reply":"Hi.","user":[{"at":1,"speech":"cut.wav"}]}"""));

        File.Copy(RepoPaths.Fixture("jfk.wav"), Path.Combine(_folder, "jfk.wav"));
        Assert.Contains("\"user[0].from\" is 1E+300 s", Refused("""{"reply":"Hi.","user":[{"at":1,"speech":"jfk.wav","from":1e300}]}"""));
        Assert.Contains("\"user[0].from\" is 99 s, but jfk.wav lasts", Refused("""{"reply":"Hi.","user":[{"at":1,"speech":"jfk.wav","from":99}]}"""));
        Assert.Contains("\"user[0].speech\" names missing.wav, which does not exist", Refused("""{"reply":"Hi.","user":[{"at":1,"speech":"missing.wav"}]}"""));
    }

    [Fact]
    public void The_benchmark_scenarios_load()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "benchmarks", "scenarios"), "*.json"))
            Assert.NotEmpty(Scenario.Load(file).Name);
    }

    [Fact]
    public void The_shipped_scenarios_load()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "scenarios"), "*.json"))
            Assert.NotEmpty(Scenario.Load(file).Name);
    }

    [Fact]
    public async Task A_run_without_voice_activity_detection_stops_with_the_reason()
    {
        var scenario = Scenario.Load(Write("""{"reply":"Hi there.","user":[{"at":0.5,"cough":0.2}]}"""));
        var missing = Path.Combine(_folder, "no-such-model.onnx");

        var error = await Assert.ThrowsAsync<ScenarioException>(() => ScenarioRunner.RunAsync(scenario, new ScenarioOptions { VadModel = missing }));

        Assert.Contains("no-such-model.onnx", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}

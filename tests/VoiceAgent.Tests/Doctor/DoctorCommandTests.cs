using VoiceAgent.Audio.Tests;
using VoiceAgent.TestSupport;

namespace VoiceAgent.Tests.Doctor;

/// <summary><c>voice-agent doctor</c> as a user runs it: a separate process, its table and exit code.</summary>
[Collection(PipeSourceCollection.Name)]
public class DoctorCommandTests
{
    private static readonly string VadModel = $"listening.vad-model={RepoPaths.Model("silero_vad_v5.onnx")}";

    /// <summary>The table line of one check.</summary>
    private static string Row(string output, string check) =>
        output.Split('\n').SingleOrDefault(line => line.StartsWith($"│ {check} ", StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException($"no row '{check}' in:\n{output}");

    [Fact]
    public async Task With_no_audio_server_it_says_so_how_to_start_one_and_exits_1()
    {
        var result = await CliRunner.Run(["doctor", "-D", VadModel], new Dictionary<string, string> { ["PULSE_SERVER"] = "unix:/nonexistent/native" });

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.StandardError);
        var server = Row(result.StandardOutput, "audio server");
        Assert.Contains("missing", server);
        Assert.Contains("no audio server: PulseAudio connect to unix:/nonexistent/native failed", server);
        Assert.Matches("pulseaudio --start|pipewire-pulse|apt-get install -y pulseaudio", server);
        Assert.Contains("no audio server (see the audio server row)", Row(result.StandardOutput, "microphone"));
        Assert.Contains("OK", Row(result.StandardOutput, "TTS endpoint"));
        Assert.Contains("Not ready: fix audio server, microphone, speaker", result.StandardOutput);
    }

    [Fact]
    public async Task On_a_working_audio_server_every_row_of_the_default_path_is_ok_and_it_exits_0()
    {
        PulseRequirement.Require();
        // The private server's microphone is a pipe: something has to speak into it.
        await using var tone = PipeSource.Start(Signals.Sine(440, 16000, 30, 0.1));

        var result = await CliRunner.Run(["doctor", "-D", VadModel]);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Contains("Ready: the assistant can run as configured.", result.StandardOutput);
        Assert.Contains("OK", Row(result.StandardOutput, "audio server"));
        var microphone = Row(result.StandardOutput, "microphone");
        Assert.Contains("vmic", microphone);
        Assert.Matches(@"level -\d+ dBFS, peak -\d+ dBFS over 1\.0 s", microphone);
        Assert.Contains("vsink", Row(result.StandardOutput, "speaker"));
        Assert.Contains("OK", Row(result.StandardOutput, "VAD model"));
    }

    [Fact]
    public async Task Endpoints_that_never_answer_cost_the_time_limit_and_keys_never_show()
    {
        const string key = "sk-test-should-never-show-0123456789";
        using var silent = new SilentServer();
        var result = await CliRunner.Run(
            ["doctor", "--profile", "openai", "--timeout", "1", "-D", "audio.input=none", "-D", "audio.output=none", "-D", VadModel,
             "-D", $"conversation.base-url=http://127.0.0.1:{silent.Port}/v1", "-D", $"listening.transcription-url=http://127.0.0.1:{silent.Port}"],
            new Dictionary<string, string> { ["OPENAI_API_KEY"] = key });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no answer within 1 s", Row(result.StandardOutput, "language model"));
        Assert.Contains("no answer within 1 s", Row(result.StandardOutput, "recognizer (OpenAI API)"));
        Assert.Contains("an endpoint gets at most 1 s to answer", result.StandardOutput);
        Assert.DoesNotContain(key, result.StandardOutput + result.StandardError);
    }

    [Fact]
    public async Task A_bad_timeout_is_one_line_and_exit_code_2()
    {
        var result = await CliRunner.Run(["doctor", "--timeout", "0"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--timeout 0 is out of range", result.StandardError);
    }
}

/// <summary>Tests that speak into the private server's one pipe source run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class PipeSourceCollection
{
    public const string Name = "pipe source vmic";
}

using VoiceAgent.Dsp;
using VoiceAgent.TestSupport;

namespace VoiceAgent.Tests;

/// <summary>The program as a user runs it: separate process, exit codes, what is printed.</summary>
public class CommandLineTests
{
    [Fact]
    public async Task Help_describes_the_assistant_its_options_and_commands()
    {
        var result = await CliRunner.Run(["--help"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--profile", result.StandardOutput);
        Assert.Contains("-D", result.StandardOutput);
        Assert.Contains("config", result.StandardOutput);
    }

    [Fact]
    public async Task Config_prints_the_effective_configuration_with_secrets_masked()
    {
        var result = await CliRunner.Run(["config", "--profile", "telnyx", "-D", "tts.voice=espeak.en-us"],
            new Dictionary<string, string> { ["TELNYX_API_KEY"] = "KEY-should-never-show" });

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("KEY-should-never-show", result.StandardOutput + result.StandardError);
        Assert.Contains("voice-agent.tts.api-key = \"********\"   # config/telnyx.conf", result.StandardOutput);
        Assert.Contains("voice-agent.tts.voice = espeak.en-us   # -D overrides", result.StandardOutput);
        Assert.Contains("voice-agent.tts.endpoint = telnyx   # config/telnyx.conf", result.StandardOutput);
    }

    [Theory]
    [InlineData(new[] { "config", "-D", "tts.voise=x" }, "Unknown key 'voice-agent.tts.voise' in -D overrides")]
    [InlineData(new[] { "config", "-D", "barge-in.min-speech=soon" }, "Bad value 'soon' for 'voice-agent.barge-in.min-speech' in -D overrides")]
    [InlineData(new[] { "config", "--profile", "nonesuch" }, "Unknown profile 'nonesuch'")]
    [InlineData(new[] { "config", "--config", "no-such-file.conf" }, "Config file not found")]
    public async Task A_configuration_error_is_one_line_and_exit_code_2(string[] arguments, string expected)
    {
        var result = await CliRunner.Run(arguments);
        Assert.Equal(2, result.ExitCode);
        var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(expected, lines[0]);
    }

    [Theory]
    [InlineData("linear16")]
    [InlineData("mp3")]
    public async Task Say_writes_what_the_embedded_server_spoke_to_a_wav(string format)
    {
        var file = Path.Combine(Path.GetTempPath(), $"say-{Guid.NewGuid():N}.wav");
        try
        {
            var result = await CliRunner.Run(["say", "The quick brown fox jumps over the lazy dog.", "--out", file, "--format", format, "-D", "tts.endpoint=embedded"]);
            Assert.True(result.ExitCode == 0, result.StandardError);
            var audio = VoiceAgent.Dsp.WavFile.Read(file);
            Assert.Equal(24000, audio.SampleRate);
            Assert.InRange(audio.Duration.TotalSeconds, 1.5, 5);
            Assert.True(Signals.Rms(audio.Samples) > 0.02, "the speech should not be silent");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Say_with_no_sound_server_says_nothing_was_played()
    {
        var result = await CliRunner.Run(["say", "Hello.", "-D", "tts.endpoint=embedded", "-D", "audio.output=pulse"],
            new Dictionary<string, string> { ["PULSE_SERVER"] = "unix:/nonexistent/native" });
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("nothing was played", result.StandardError);
        Assert.Contains("--out", result.StandardError);
    }

    [Fact]
    public async Task A_bad_key_in_a_config_file_names_the_file()
    {
        var file = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.conf");
        await File.WriteAllTextAsync(file, "voice-agent {\n  conversation.temprature = 0.2\n}\n", TestContext.Current.CancellationToken);
        try
        {
            var result = await CliRunner.Run(["config", "--config", file]);
            Assert.Equal(2, result.ExitCode);
            Assert.Contains($"Unknown key 'voice-agent.conversation.temprature' in {file} (did you mean 'voice-agent.conversation.temperature'?)", result.StandardError);
        }
        finally
        {
            File.Delete(file);
        }
    }
}

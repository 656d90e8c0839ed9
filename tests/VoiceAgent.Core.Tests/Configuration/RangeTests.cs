using VoiceAgent.Configuration;

namespace VoiceAgent.Core.Tests.Configuration;

/// <summary>Numbers and durations are checked against the ranges HOCON.conf declares
/// ("range: LOW .. HIGH", "integer: LOW .. HIGH") when the configuration is loaded, so a value
/// that would crash a timer or a socket later is one line at start instead.</summary>
public class RangeTests
{
    private static LayeredConfig Load(params string[] overrides) => DefaultConfig.Load(overrides: overrides, environment: _ => null);

    private static string Refused(params string[] overrides) =>
        Assert.Throws<InvalidConfigurationException>(() => Load(overrides)).Message;

    [Theory]
    [InlineData("tts.connect-timeout=-1s", "expected a duration from 1ms to 5m")]
    [InlineData("tts.connect-timeout=0s", "expected a duration from 1ms to 5m")]
    [InlineData("tts-server.inactivity-timeout=-5s", "expected a duration from 1s to 1h")]
    [InlineData("tts-server.port=70000", "expected a whole number from 0 to 65535")]
    [InlineData("tts-server.port=80.5", "expected a whole number from 0 to 65535")]
    [InlineData("tts.sample-rate=1e12", "expected a whole number from 8000 to 48000")]
    [InlineData("audio.output-sample-rate=0", "expected a whole number from 8000 to 48000")]
    [InlineData("conversation.temperature=1e300", "expected a number from 0 to 2")]
    [InlineData("listening.vad-threshold=NaN", "expected a number")]
    [InlineData("conversation.max-retries=-1", "expected a whole number from 0 to 10")]
    [InlineData("barge-in.min-speech=-250ms", "expected a duration from 0ms to 10s")]
    [InlineData("tts-server.max-sessions=0", "expected a whole number from 1 to 100000")]
    public void Values_out_of_range_name_the_key_and_the_range(string setting, string expected)
    {
        var message = Refused(setting);
        Assert.Contains($"'voice-agent.{setting.Split('=')[0]}'", message);
        Assert.Contains(expected, message);
    }

    [Theory]
    [InlineData("tts.connect-timeout=250ms")]
    [InlineData("tts-server.port=0")]
    [InlineData("listening.silence-floor-dbfs=-45.5")]
    [InlineData("listening.echo-lead=0ms")]
    [InlineData("tts.voice-speed=0.45")]
    public void Values_in_range_load(string setting) => Load(setting);

    [Fact]
    public void A_duration_without_a_declared_range_still_may_not_be_negative()
    {
        var schema = ConfigSchema.FromDefaults("voice-agent {\n  # A delay.\n  pause = 10ms\n}\n");
        Assert.True(schema.TryGet("voice-agent.pause", out var spec));
        Assert.Equal("expected a duration from 0s to 365d", ConfigSchema.Mismatch(spec, "-1ms"));
        Assert.Null(ConfigSchema.Mismatch(spec, "2s"));
    }

    [Fact]
    public void Every_number_and_duration_in_the_defaults_is_within_its_own_range()
    {
        var schema = Load().Schema;
        foreach (var spec in schema.Keys.Values.Where(s => s.Range is not null))
            Assert.True(ConfigSchema.Mismatch(spec, spec.Default) is null, $"{spec.Path} = {spec.Default} is outside its range");
    }

    [Theory]
    [InlineData("voice-agent.tts.voice = ${undefined.var}", "refers to another setting; only environment variables can be substituted")]
    [InlineData("voice-agent.tts.voice = \"x-${HOME}\"", "must be the whole value: write 'key = ${?HOME}'")]
    public void A_substitution_that_cannot_work_says_why(string line, string expected)
    {
        var error = Assert.Throws<InvalidConfigurationException>(() =>
            LayeredConfig.Load(DefaultConfig.Defaults, [new ConfigSource("s.conf", line)], _ => null));
        Assert.Contains("s.conf line 1", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_substitution_in_a_command_line_override_is_explained()
    {
        var message = Refused("tts.voice=${undefined.var}");
        Assert.Contains("-D values are taken as written", message);
    }
}

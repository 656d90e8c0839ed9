using VoiceAgent.Configuration;

namespace VoiceAgent.Core.Tests.Configuration;

public class LayeredConfigTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    private static LayeredConfig Load(params ConfigSource[] layers) =>
        LayeredConfig.Load(DefaultConfig.Defaults, layers, NoEnvironment);

    [Fact]
    public void Defaults_load_and_every_documented_key_is_present()
    {
        var config = Load();
        Assert.Equal("auto", config.Config.GetString("voice-agent.tts.endpoint"));
        Assert.Equal(TimeSpan.FromMilliseconds(250), config.Config.GetTimeSpan("voice-agent.barge-in.min-speech"));
        foreach (var key in config.Schema.Keys.Keys)
            Assert.True(config.Config.HasPath(key), $"{key} has no value in the defaults");
    }

    [Fact]
    public void Later_layers_override_earlier_ones_and_origins_say_which()
    {
        var config = Load(
            new ConfigSource("config/a.conf", "voice-agent.tts.voice = \"a\"\nvoice-agent.tts.sample-rate = 16000"),
            new ConfigSource("b.conf", "voice-agent { tts { voice = \"b\" } }"),
            ConfigOverrides.ToSource(["tts.sample-rate=8000"]));

        Assert.Equal("b", config.Config.GetString("voice-agent.tts.voice"));
        Assert.Equal(8000, config.Config.GetInt("voice-agent.tts.sample-rate"));
        Assert.Equal("b.conf", config.Origins["voice-agent.tts.voice"]);
        Assert.Equal(ConfigOverrides.Origin, config.Origins["voice-agent.tts.sample-rate"]);
        Assert.Equal("HOCON.conf", config.Origins["voice-agent.tts.language"]);
    }

    [Fact]
    public void Shipped_profiles_all_load()
    {
        foreach (var name in new[] { "offline", "telnyx", "openai", "ollama" })
        {
            Assert.Contains(name, DefaultConfig.ProfileNames);
            var config = LayeredConfig.Load(DefaultConfig.Defaults, [DefaultConfig.Profile(name, Path.GetTempPath())], NoEnvironment);
            Assert.NotNull(config.Config.GetString("voice-agent.conversation.provider"));
        }
    }

    [Fact]
    public void An_unknown_key_names_the_key_the_file_and_the_nearest_known_key()
    {
        var error = Assert.Throws<InvalidConfigurationException>(() =>
            Load(new ConfigSource("my.conf", "voice-agent.tts.voise = \"x\"")));
        Assert.Contains("'voice-agent.tts.voise'", error.Message);
        Assert.Contains("my.conf", error.Message);
        Assert.Contains("did you mean 'voice-agent.tts.voice'", error.Message);
    }

    [Theory]
    [InlineData("voice-agent.barge-in.min-speech = soon", "expected a duration")]
    [InlineData("voice-agent.barge-in.enabled = maybe", "expected true or false")]
    [InlineData("voice-agent.tts.sample-rate = fast", "expected a number")]
    [InlineData("voice-agent.barge-in.policy = shout", "expected one of: force, reconnect")]
    [InlineData("voice-agent.tts.voice = [1, 2]", "not a list")]
    public void A_bad_value_names_the_key_the_file_and_what_was_expected(string line, string expected)
    {
        var error = Assert.Throws<InvalidConfigurationException>(() => Load(new ConfigSource("bad.conf", line)));
        Assert.Contains("bad.conf", error.Message);
        Assert.Contains(line.Split(' ')[0], error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_bad_override_names_the_override_layer()
    {
        var error = Assert.Throws<InvalidConfigurationException>(() => Load(ConfigOverrides.ToSource(["barge-in.min-speech=abc"])));
        Assert.Contains("-D overrides", error.Message);
        Assert.Contains("voice-agent.barge-in.min-speech", error.Message);
    }

    [Theory]
    [InlineData("voice-agent { tts.voice = \"x\" }\n}", "line 2: unexpected '}'")]
    [InlineData("voice-agent {\n tts.voice = \"x\"", "line 1: '{' is never closed")]
    [InlineData("voice-agent.tts.voice = \"x", "line 1: a string is not closed")]
    [InlineData("voice-agent.tts.voice", "line 1: expected 'key = value'")]
    [InlineData("voice-agent.tts.voice =", "line 1: 'voice-agent.tts.voice' has no value")]
    public void Syntax_errors_name_the_file_and_line(string text, string expected)
    {
        var error = Assert.Throws<InvalidConfigurationException>(() => Load(new ConfigSource("broken.conf", text)));
        Assert.Contains("broken.conf " + expected, error.Message);
    }

    [Fact]
    public void Environment_substitution_sets_a_secret_and_an_unset_optional_keeps_the_lower_value()
    {
        var environment = new Dictionary<string, string> { ["MY_KEY"] = "k-123" };
        var config = LayeredConfig.Load(DefaultConfig.Defaults,
        [
            new ConfigSource("p.conf", "voice-agent.tts.api-key = ${?MY_KEY}\nvoice-agent.tts.voice = \"v1\""),
            new ConfigSource("q.conf", "voice-agent.tts.voice = ${?UNSET_VAR}"),
        ], name => environment.GetValueOrDefault(name));

        Assert.Equal("k-123", config.Config.GetString("voice-agent.tts.api-key"));
        Assert.Equal("v1", config.Config.GetString("voice-agent.tts.voice"));
    }

    [Fact]
    public void A_required_substitution_of_an_unset_variable_is_an_error_naming_it()
    {
        var error = Assert.Throws<InvalidConfigurationException>(() =>
            Load(new ConfigSource("r.conf", "voice-agent.tts.api-key = ${NOPE_NOT_SET}")));
        Assert.Contains("NOPE_NOT_SET is not set", error.Message);
        Assert.Contains("r.conf line 1", error.Message);
    }

    [Fact]
    public void Akka_keys_pass_through_and_extension_blocks_take_their_own_keys()
    {
        var config = Load(new ConfigSource("x.conf",
            "akka.loglevel = DEBUG\nvoice-agent.extensions.mine { type = \"A.B, C\"\n anything = 3 }"));
        Assert.Equal("DEBUG", config.Config.GetString("akka.loglevel"));
        Assert.Equal(3, config.Config.GetInt("voice-agent.extensions.mine.anything"));
    }

    [Fact]
    public void A_key_outside_voice_agent_and_akka_is_unknown()
    {
        var error = Assert.Throws<InvalidConfigurationException>(() => Load(new ConfigSource("y.conf", "tts.voice = \"x\"")));
        Assert.Contains("'tts.voice'", error.Message);
        Assert.Contains("y.conf", error.Message);
    }

    [Fact]
    public void Overrides_quote_free_text_and_keep_typed_values()
    {
        var source = ConfigOverrides.ToSource(["conversation.system-prompt=Be brief, please.", "barge-in.min-speech=300ms", "akka.loglevel=INFO"]);
        var config = Load(source);
        Assert.Equal("Be brief, please.", config.Config.GetString("voice-agent.conversation.system-prompt"));
        Assert.Equal(TimeSpan.FromMilliseconds(300), config.Config.GetTimeSpan("voice-agent.barge-in.min-speech"));
        Assert.Equal("INFO", config.Config.GetString("akka.loglevel"));
        Assert.Throws<InvalidConfigurationException>(() => ConfigOverrides.ToSource(["no-equals-sign"]));
    }

    [Fact]
    public void An_unknown_profile_lists_the_known_ones()
    {
        var error = Assert.Throws<InvalidConfigurationException>(() => DefaultConfig.Profile("nonesuch", Path.GetTempPath()));
        Assert.Contains("Unknown profile 'nonesuch'", error.Message);
        Assert.Contains("offline", error.Message);
    }
}

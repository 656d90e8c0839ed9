using VoiceAgent.Configuration;
using VoiceAgent.Listening.Turns;

namespace VoiceAgent.Listening.Tests;

public class TurnSettingsTests
{
    [Fact]
    public void The_documented_defaults_load()
    {
        var settings = ListeningSettings.FromConfig(DefaultConfig.Load().Config).Turn;
        Assert.Equal(new TurnSettings(), settings);
        Assert.Equal(TurnDetector.Words, settings.Detector);
    }

    [Fact]
    public void The_turn_section_loads()
    {
        var config = DefaultConfig.Load(overrides: ["turn.detector=silence", "turn.min-silence=300ms", "turn.silence=1s", "turn.max-silence=3s"]).Config;
        Assert.Equal(
            new TurnSettings { Detector = TurnDetector.Silence, MinSilence = TimeSpan.FromMilliseconds(300), Silence = TimeSpan.FromSeconds(1), MaxSilence = TimeSpan.FromSeconds(3) },
            ListeningSettings.FromConfig(config).Turn);
    }

    [Fact]
    public void An_unknown_detector_names_its_choices_at_load()
    {
        var error = Assert.Throws<InvalidConfigurationException>(() => DefaultConfig.Load(overrides: ["turn.detector=model"]));
        Assert.Contains("words, silence", error.Message);
    }

    [Theory]
    [InlineData("turn.min-silence=900ms")]
    [InlineData("turn.max-silence=700ms")]
    public void Silences_out_of_order_are_one_line(string setting)
    {
        var config = DefaultConfig.Load(overrides: [setting]).Config;
        var error = Assert.Throws<InvalidConfigurationException>(() => ListeningSettings.FromConfig(config));
        Assert.Contains("voice-agent.turn", error.Message);
        Assert.Contains("min-silence", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}

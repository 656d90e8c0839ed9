using VoiceAgent.Configuration;

namespace VoiceAgent.Listening.Tests;

public class ListeningSettingsTests
{
    [Fact]
    public void The_documented_defaults_load()
    {
        var settings = ListeningSettings.FromConfig(DefaultConfig.Load().Config);
        Assert.Equal(new ListeningSettings { TranscriptionApiKey = settings.TranscriptionApiKey }, settings);
    }

    [Fact]
    public void Profiles_can_choose_the_microphone_mode()
    {
        var config = DefaultConfig.Load(overrides: ["voice-agent.listening.mode=push-to-talk", "voice-agent.barge-in.min-speech=300ms"]).Config;
        var settings = ListeningSettings.FromConfig(config);
        Assert.Equal(MicrophoneMode.PushToTalk, settings.Mode);
        Assert.Equal(TimeSpan.FromMilliseconds(300), settings.BargeInMinSpeech);
    }

    [Fact]
    public void An_unknown_mode_names_the_key_and_the_choices()
    {
        var error = Assert.Throws<ArgumentException>(() => ListeningSettings.ParseMode("laptop"));
        Assert.Contains("voice-agent.listening.mode", error.Message);
        Assert.Contains("headset", error.Message);
    }
}

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
    public void The_whisper_and_models_sections_load()
    {
        var config = DefaultConfig.Load(overrides:
        [
            "listening.whisper.model=small.en-q5_1", "listening.whisper.language=auto", "listening.whisper.threads=2",
            "listening.whisper.sampling=beam", "listening.whisper.beam-size=3", "listening.whisper.temperature-fallback=true",
            "listening.whisper.initial-prompt=VoiceAgent, Akka", "listening.whisper.no-speech-threshold=0.5",
            "models.folder=/srv/models", "models.whisper-url=http://mirror.local/whisper",
        ]).Config;
        var settings = ListeningSettings.FromConfig(config);
        Assert.Equal(new Recognition.Whisper.WhisperOptions
        {
            Model = "small.en-q5_1", Language = "auto", Threads = 2, Sampling = Recognition.Whisper.WhisperSampling.Beam, BeamSize = 3,
            TemperatureFallback = true, InitialPrompt = "VoiceAgent, Akka", NoSpeechThreshold = 0.5f,
        }, settings.Whisper);
        Assert.Equal(new Models.ModelsOptions { Folder = "/srv/models", WhisperUrl = "http://mirror.local/whisper" }, settings.Models);
        Assert.Equal(Recognition.Whisper.WhisperOptions.AutoThreads, new Recognition.Whisper.WhisperOptions().EffectiveThreads);
    }

    [Theory]
    [InlineData("listening.recognizer=whisper-net", "auto, whisper, pocketsphinx, openai, none")]
    [InlineData("listening.whisper.sampling=best", "greedy, beam")]
    public void Recognizer_choices_are_checked_at_load(string setting, string choices)
    {
        var error = Assert.Throws<InvalidConfigurationException>(() => DefaultConfig.Load(overrides: [setting]));
        Assert.Contains(choices, error.Message);
    }

    [Theory]
    [InlineData("listening.whisper.threads=-1", "voice-agent.listening.whisper.threads")]
    [InlineData("listening.whisper.threads=1.5", "voice-agent.listening.whisper.threads")]
    [InlineData("listening.whisper.beam-size=0", "voice-agent.listening.whisper.beam-size")]
    [InlineData("listening.whisper.no-speech-threshold=1.5", "voice-agent.listening.whisper.no-speech-threshold")]
    [InlineData("listening.whisper.temperature-fallback=sometimes", "voice-agent.listening.whisper.temperature-fallback")]
    [InlineData("models.whisper-url=mirror.local/whisper", "voice-agent.models.whisper-url")]
    [InlineData("models.whisper-url=ftp://mirror.local/whisper", "voice-agent.models.whisper-url")]
    public void A_bad_whisper_or_models_value_names_the_key_at_load(string setting, string key)
    {
        var error = Assert.Throws<InvalidConfigurationException>(() => ListeningSettings.FromConfig(DefaultConfig.Load(overrides: [setting]).Config));
        Assert.Contains(key, error.Message);
    }

    [Fact]
    public void An_unknown_mode_names_the_key_and_the_choices()
    {
        var error = Assert.Throws<ArgumentException>(() => ListeningSettings.ParseMode("laptop"));
        Assert.Contains("voice-agent.listening.mode", error.Message);
        Assert.Contains("headset", error.Message);
    }

    [Fact]
    public void The_words_settings_of_barge_in_load()
    {
        var config = DefaultConfig.Load(overrides:
        [
            "barge-in.words=false", "barge-in.min-words=2", "barge-in.max-pause=800ms", "barge-in.backchannels=[\"ja\", \"genau\"]",
        ]).Config;
        var settings = ListeningSettings.FromConfig(config);
        Assert.False(settings.BargeInWords);
        Assert.Equal(2, settings.BargeInMinWords);
        Assert.Equal(TimeSpan.FromMilliseconds(800), settings.BargeInMaxPause);
        Assert.Equal(["ja", "genau"], settings.BargeInBackchannels.Phrases);
    }

    [Theory]
    [InlineData("barge-in.min-words=0", "voice-agent.barge-in.min-words")]
    [InlineData("barge-in.min-words=1.5", "voice-agent.barge-in.min-words")]
    [InlineData("barge-in.max-pause=20s", "voice-agent.barge-in.max-pause")]
    [InlineData("barge-in.max-pause=10ms", "voice-agent.barge-in.max-pause")]
    [InlineData("barge-in.words=maybe", "voice-agent.barge-in.words")]
    [InlineData("barge-in.backchannels=[\"yeah\", \"--\"]", "voice-agent.barge-in.backchannels")]
    public void A_bad_words_setting_is_one_line_naming_the_key(string setting, string key)
    {
        var error = Assert.Throws<InvalidConfigurationException>(() => ListeningSettings.FromConfig(DefaultConfig.Load(overrides: [setting]).Config));
        Assert.Contains(key, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}

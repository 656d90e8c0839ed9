using VoiceAgent.Listening.Models;
using VoiceAgent.Listening.Recognition;
using VoiceAgent.Listening.Recognition.PocketSphinx;
using VoiceAgent.Listening.Recognition.Whisper;
using VoiceAgent.TestSupport;

namespace VoiceAgent.Listening.Tests;

/// <summary>listening.recognizer: what auto chooses, in order, and what it says about the others.</summary>
public class RecognizerSelectionTests
{
    /// <summary>A machine where nothing is downloaded: an empty models folder.</summary>
    private static ListeningSettings Fresh(string recognizer = "auto") => new()
    {
        Recognizer = recognizer,
        Models = new ModelsOptions { Folder = TestWhisperModels.NewFolder("models") },
        Whisper = new WhisperOptions { Model = "base.en", Threads = 1 },
    };

    /// <summary>A models folder holding the generated model under the configured name.</summary>
    private static ListeningSettings WithWhisperModel(string recognizer = "auto")
    {
        var settings = Fresh(recognizer);
        File.Copy(TestWhisperModels.Tiny, ModelStore.For(settings.Models).PathFor("base.en"));
        return settings;
    }

    [Fact]
    public void The_report_says_per_engine_whether_it_can_listen_with_which_model_and_why_not()
    {
        var report = RecognizerAvailability.Check(Fresh());

        Assert.Equal([RecognizerEngine.Whisper, RecognizerEngine.OpenAi, RecognizerEngine.PocketSphinx], report.Engines.Select(e => e.Engine));
        var whisper = report[RecognizerEngine.Whisper];
        Assert.False(whisper.Available);
        Assert.EndsWith("ggml-base.en.bin", whisper.Model);
        Assert.Contains("voice-agent models pull base.en", whisper.Problem);
        Assert.Contains("transcription-url", report[RecognizerEngine.OpenAi].Problem);
        Assert.True(report[RecognizerEngine.PocketSphinx].Available, report[RecognizerEngine.PocketSphinx].Problem);
        Assert.True(RecognizerAvailability.Check(WithWhisperModel())[RecognizerEngine.Whisper].Available);
    }

    [Fact]
    public void Auto_takes_whisper_when_its_model_is_there()
    {
        var choice = RecognizerFactory.Create(WithWhisperModel());
        using var recognizer = choice.Recognizer;
        Assert.IsType<WhisperRecognizer>(recognizer);
        Assert.Equal("Whisper base.en", recognizer!.Name);
        Assert.Equal("", choice.Reason);
    }

    [Fact]
    public void Auto_without_a_model_takes_a_configured_server_before_pocketsphinx()
    {
        var choice = RecognizerFactory.Create(Fresh() with { TranscriptionUrl = "http://127.0.0.1:8080" });
        using var recognizer = choice.Recognizer;
        Assert.IsType<OpenAiTranscriptionRecognizer>(recognizer);
        Assert.Contains("voice-agent models pull base.en", choice.Reason);
    }

    [Fact]
    public void Auto_without_a_model_or_a_server_falls_back_to_pocketsphinx_and_says_why()
    {
        var choice = RecognizerFactory.Create(Fresh());
        using var recognizer = choice.Recognizer;
        Assert.IsType<PocketSphinxRecognizer>(recognizer);
        Assert.Contains("low-accuracy fallback", recognizer!.Description);
        Assert.Contains("Whisper model base.en is not installed", choice.Reason);
    }

    [Fact]
    public void Auto_passes_over_a_model_that_does_not_load_and_names_the_cause()
    {
        var settings = Fresh();
        File.Copy(TestWhisperModels.Corrupt(), ModelStore.For(settings.Models).PathFor("base.en"));
        var choice = RecognizerFactory.Create(settings);
        using var recognizer = choice.Recognizer;
        Assert.IsType<PocketSphinxRecognizer>(recognizer);
        Assert.Contains("bad magic", choice.Reason);
    }

    [Fact]
    public void An_engine_named_explicitly_must_be_there()
    {
        var error = Assert.Throws<SpeechRecognitionException>(() => RecognizerFactory.Create(Fresh("whisper")));
        Assert.Contains("voice-agent models pull base.en", error.Message);
        Assert.Throws<SpeechRecognitionException>(() => RecognizerFactory.Create(Fresh("openai")));
        Assert.Contains("auto | whisper | pocketsphinx | openai | none", Assert.Throws<SpeechRecognitionException>(() => RecognizerFactory.Create(Fresh("vosk"))).Message);
    }

    [Fact]
    public void None_turns_recognition_off()
    {
        var choice = RecognizerFactory.Create(Fresh("none"));
        Assert.Null(choice.Recognizer);
        Assert.Contains("off", choice.Reason);
    }

    [Fact]
    public void A_missing_pocketsphinx_model_says_how_to_install_it()
    {
        var settings = Fresh("pocketsphinx") with { PocketSphinx = new PocketSphinxOptions { ModelFolder = TestWhisperModels.NewFolder("no-sphinx") } };
        var error = Assert.Throws<SpeechRecognitionException>(() => RecognizerFactory.Create(settings));
        Assert.Contains("pocketsphinx-en-us", error.Message);
    }

    [Fact]
    public void A_model_setting_is_a_name_in_the_models_folder_or_a_path()
    {
        var store = new ModelStore(TestWhisperModels.NewFolder("store"));
        var named = WhisperModelLocation.Resolve("small.en-q5_1", store);
        Assert.True(named.IsNamed);
        Assert.Equal(Path.Combine(store.Folder, "ggml-small.en-q5_1.bin"), named.Path);

        var path = WhisperModelLocation.Resolve(Path.Combine(TestWhisperModels.NewFolder("elsewhere"), "ggml-medium.en.bin"), store);
        Assert.False(path.IsNamed);
        Assert.Equal("medium.en", path.Name);
        Assert.Contains("not found", path.Missing);
        Assert.Contains("not one that can be downloaded", WhisperModelLocation.Resolve("large-v9", store).Missing);
    }
}

using VoiceAgent.Listening.Recognition;

namespace VoiceAgent.Listening.Tests;

public class TranscriptionRecognizerTests
{
    [Fact]
    public async Task Uploads_the_utterance_as_16_kHz_wav_and_returns_the_text()
    {
        await using var server = await TranscriptionServer.StartAsync();
        var jfk = TestModel.Jfk();
        using var recognizer = new OpenAiTranscriptionRecognizer(server.BaseUrl.ToString(), "whisper-1", "en", "sk-test-key");

        var text = await recognizer.TranscribeAsync(jfk, TestContext.Current.CancellationToken);

        Assert.Equal("ask not what your country can do for you", text);
        var request = Assert.Single(server.Requests);
        Assert.Equal(("whisper-1", "en", "Bearer sk-test-key"), (request.Model, request.Language, request.Authorization));
        Assert.EndsWith(".wav", request.FileName);
        Assert.Equal(16000, request.Audio.SampleRate);
        Assert.Equal(jfk, request.Audio.Samples);
    }

    [Fact]
    public async Task Without_a_key_no_authorization_is_sent()
    {
        await using var server = await TranscriptionServer.StartAsync();
        using var recognizer = new OpenAiTranscriptionRecognizer(server.BaseUrl + "v1/", "base.en");
        await recognizer.TranscribeAsync(new short[16000], TestContext.Current.CancellationToken);
        Assert.Null(Assert.Single(server.Requests).Authorization);
    }

    [Fact]
    public async Task A_server_error_is_one_line_without_the_key()
    {
        await using var server = await TranscriptionServer.StartAsync();
        server.FailWith = 503;
        using var recognizer = new OpenAiTranscriptionRecognizer(server.BaseUrl.ToString(), "whisper-1", apiKey: "sk-secret");
        var error = await Assert.ThrowsAsync<SpeechRecognitionException>(() => recognizer.TranscribeAsync(new short[1600], TestContext.Current.CancellationToken));
        Assert.Contains("HTTP 503", error.Message);
        Assert.Contains("model overloaded", error.Message);
        Assert.DoesNotContain("sk-secret", error.Message);
        Assert.DoesNotContain("\n", error.Message);
    }

    [Fact]
    public async Task An_unreachable_server_is_named()
    {
        using var recognizer = new OpenAiTranscriptionRecognizer("http://127.0.0.1:9", "whisper-1");
        var error = await Assert.ThrowsAsync<SpeechRecognitionException>(() => recognizer.TranscribeAsync(new short[1600], TestContext.Current.CancellationToken));
        Assert.Contains("127.0.0.1:9", error.Message);
        Assert.Contains("transcription-url", error.Message);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080", "http://127.0.0.1:8080/v1/audio/transcriptions")]
    [InlineData("https://api.openai.com/v1", "https://api.openai.com/v1/audio/transcriptions")]
    [InlineData("http://host:9000/v1/audio/transcriptions", "http://host:9000/v1/audio/transcriptions")]
    public void Endpoint_accepts_a_root_or_a_v1_url(string baseUrl, string expected) =>
        Assert.Equal(expected, OpenAiTranscriptionRecognizer.EndpointFor(baseUrl).ToString());

    [Fact]
    public void A_bad_url_is_one_clear_line()
    {
        var error = Assert.Throws<SpeechRecognitionException>(() => OpenAiTranscriptionRecognizer.EndpointFor("localhost:8080"));
        Assert.Contains("transcription-url", error.Message);
    }

    [Fact]
    public void With_no_engine_at_all_the_factory_falls_back_to_text_mode_and_says_why()
    {
        var nothing = new ListeningSettings
        {
            Recognizer = "auto",
            Models = new Models.ModelsOptions { Folder = TestSupport.TestWhisperModels.NewFolder("empty") },
            PocketSphinx = new Recognition.PocketSphinx.PocketSphinxOptions { ModelFolder = TestSupport.TestWhisperModels.NewFolder("no-sphinx") },
        };
        var choice = RecognizerFactory.Create(nothing);
        Assert.Null(choice.Recognizer);
        Assert.Contains("voice-agent models pull base.en", choice.Reason);
        Assert.Contains("pocketsphinx-en-us", choice.Reason);
        using var openAi = RecognizerFactory.Create(nothing with { TranscriptionUrl = "http://127.0.0.1:8080" }).Recognizer;
        Assert.IsType<OpenAiTranscriptionRecognizer>(openAi);
    }
}

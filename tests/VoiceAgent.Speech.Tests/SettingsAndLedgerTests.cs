using Akka.Configuration;
using VoiceAgent.Configuration;
using VoiceAgent.Speech.Telnyx;
using VoiceAgent.Telnyx;
using Xunit;

namespace VoiceAgent.Speech.Tests;

public sealed class SettingsTests
{
    private static TtsSettings Load(params string[] overrides) =>
        TtsSettings.FromConfig(DefaultConfig.Load(overrides: overrides, environment: _ => null).Config);

    [Fact]
    public void Defaults_resolve_to_the_embedded_server_without_a_key_and_to_telnyx_with_one()
    {
        var settings = Load();
        Assert.Equal(TtsEndpointKind.Auto, settings.Endpoint);
        Assert.Equal(TtsEndpointKind.Embedded, settings.EffectiveEndpoint);
        Assert.Equal(24_000, settings.OutputSampleRate);
        Assert.Equal(BargeInPolicy.Force, settings.BargeInPolicy);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.ConnectTimeout);

        Assert.Equal(TtsEndpointKind.Telnyx, (settings with { ApiKey = "k" }).EffectiveEndpoint);
    }

    [Fact]
    public void Telnyx_without_a_key_is_one_clear_line()
    {
        var settings = Load("tts.endpoint=telnyx");
        var error = Assert.Throws<InvalidConfigurationException>(() => SpeechSynthesizerFactory.Create(settings));
        Assert.Equal("TELNYX_API_KEY is not set: export it or use --profile offline", error.Message);
    }

    [Fact]
    public async Task Endpoint_none_speaks_text_only()
    {
        await using var synthesizer = SpeechSynthesizerFactory.Create(Load("tts.endpoint=none"));
        Assert.IsType<TextOnlySynthesizer>(synthesizer);
    }

    [Fact]
    public void Bad_values_name_the_key()
    {
        var config = ConfigurationFactory.ParseString("voice-agent.tts { endpoint = url, url = \"http://x\" }");
        var error = Assert.Throws<InvalidConfigurationException>(() => TtsSettings.FromConfig(config));
        Assert.Equal("voice-agent.tts.url \"http://x\" uses http://: a TTS WebSocket URL starts with ws:// or wss://.", error.Message);

        config = ConfigurationFactory.ParseString("voice-agent.tts.audio-format = ogg");
        Assert.StartsWith("voice-agent.tts.audio-format = ogg", Assert.Throws<InvalidConfigurationException>(() => TtsSettings.FromConfig(config)).Message);
    }

    [Fact]
    public void The_api_key_never_shows_in_text()
    {
        var settings = new TtsSettings { ApiKey = "secret-123" };
        Assert.DoesNotContain("secret-123", settings.ToString());
        var options = TelnyxTtsOptions.FromSettings(settings, _ => ValueTask.FromResult(new Uri("wss://x")), settings.ApiKey);
        Assert.DoesNotContain("secret-123", options.ToString());
    }

    [Fact]
    public void The_socket_url_carries_the_configured_query_parameters()
    {
        var options = TelnyxTtsOptions.ForUrl(new Uri("wss://api.telnyx.com/v2/text-to-speech/speech"), new TtsSettings
        {
            Voice = "aws.Polly.Generative.Lucia",
            AudioFormat = "mp3",
            SampleRate = 22050,
            Language = "es-ES",
            DisableCache = true,
            InactivityTimeoutSeconds = 30,
        });
        var uri = options.BuildUri(new Uri("wss://api.telnyx.com/v2/text-to-speech/speech"));
        Assert.Equal("?voice=aws.Polly.Generative.Lucia&audio_format=mp3&sample_rate=22050&language=es-ES&disable_cache=true&inactivity_timeout=30", uri.Query);
    }
}

public sealed class TextLedgerTests
{
    [Fact]
    public void A_segment_echoed_without_markdown_acknowledges_the_original_text_and_its_spacing()
    {
        var ledger = new TextLedger();
        ledger.Append("I am **fine**, thanks. ");
        ledger.Append("And you?");

        Assert.Equal("I am **fine**, thanks. ", ledger.Acknowledge("I am fine, thanks."));
        Assert.Equal("And you?", ledger.Pending);
        Assert.Equal("And you?", ledger.Acknowledge("And you?"));
        Assert.True(ledger.IsEmpty);
    }

    [Fact]
    public void A_segment_that_cannot_be_placed_acknowledges_nothing()
    {
        var ledger = new TextLedger();
        ledger.Append("Hello world. ");
        Assert.Null(ledger.Acknowledge("Something else entirely."));
        Assert.Null(ledger.Acknowledge("..."));
        Assert.Equal("Hello world. ", ledger.TakeRest());
        Assert.Null(ledger.TakeRest());
    }

    [Fact]
    public void Frames_parse_leniently()
    {
        var frame = ServerFrame.Parse("""{"type":"audio_chunk","audio":"AQIDBA==","text":null,"isFinal":false,"extra":{"a":1}}"""u8)!;
        Assert.Equal([1, 2, 3, 4], frame.Audio);
        Assert.Null(frame.Text);
        Assert.False(frame.IsFinal);

        var final = ServerFrame.Parse("""{"isFinal":true,"text":"","audio":null,"timeToFirstAudioFrameMs":245}"""u8)!;
        Assert.True(final.IsFinal);
        Assert.Equal(245, final.TimeToFirstAudioMs);
        Assert.Null(final.Audio);

        Assert.Equal("Error in audio response", ServerFrame.Parse("""{"error":"Error in audio response"}"""u8)!.Error);
        Assert.Null(ServerFrame.Parse("not json"u8));
        Assert.Null(ServerFrame.Parse("[1,2]"u8));
    }

    [Fact]
    public void The_force_frame_has_no_text_and_the_handshake_carries_voice_settings_only_when_needed()
    {
        Assert.Equal("""{"force":true}""", ClientFrame.Describe(ClientFrame.ForceStop().ToJson()));
        Assert.Equal("""{"text":" "}""", ClientFrame.Describe(ClientFrame.Handshake(1.0).ToJson()));
        Assert.Equal("""{"text":" ","voice_settings":{"voice_speed":1.25}}""", ClientFrame.Describe(ClientFrame.Handshake(1.25).ToJson()));
    }
}

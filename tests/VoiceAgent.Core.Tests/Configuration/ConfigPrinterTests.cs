using VoiceAgent.Configuration;

namespace VoiceAgent.Core.Tests.Configuration;

public class ConfigPrinterTests
{
    [Fact]
    public void Secrets_are_masked_and_each_key_shows_its_origin()
    {
        var config = LayeredConfig.Load(DefaultConfig.Defaults,
            [new ConfigSource("config/telnyx.conf", "voice-agent.tts.api-key = ${?K}")],
            name => name == "K" ? "super-secret-value" : null);

        var text = ConfigPrinter.Render(config);

        Assert.DoesNotContain("super-secret-value", text);
        Assert.Contains("voice-agent.tts.api-key = \"********\"   # config/telnyx.conf", text);
        Assert.Contains("voice-agent.conversation.api-key = \"\"   # HOCON.conf", text);
        Assert.Contains("voice-agent.conversation.max-tokens = 300   # HOCON.conf", text);
        Assert.DoesNotContain("akka.loglevel", text);
        Assert.Contains("akka.loglevel", ConfigPrinter.Render(config, includeAkka: true));
    }

    [Theory]
    [InlineData("voice-agent.tts.api-key", true)]
    [InlineData("voice-agent.listening.transcription-api-key", true)]
    [InlineData("voice-agent.x.password", true)]
    [InlineData("voice-agent.conversation.max-tokens", false)]
    [InlineData("voice-agent.tts.voice", false)]
    public void Secret_keys_are_recognised_by_name(string path, bool secret) =>
        Assert.Equal(secret, ConfigPrinter.IsSecret(path));
}

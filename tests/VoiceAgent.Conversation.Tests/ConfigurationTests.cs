using VoiceAgent.Configuration;

namespace VoiceAgent.Conversation.Tests;

public class ConfigurationTests
{
    [Fact]
    public void The_documented_defaults_are_the_settings_defaults()
    {
        var settings = ConversationSettings.FromConfig(DefaultConfig.Load(environment: _ => null).Config);

        Assert.Equal(new ConversationSettings { SystemPrompt = settings.SystemPrompt }, settings);
        Assert.Contains("short spoken sentences", settings.SystemPrompt);
        Assert.Contains("markdown", settings.SystemPrompt);
    }

    [Theory]
    [InlineData("telnyx", "TELNYX_API_KEY", "api.telnyx.com")]
    [InlineData("openai", "OPENAI_API_KEY", "api.openai.com")]
    public void A_cloud_profile_without_its_key_stops_with_the_variable_named(string profile, string variable, string host)
    {
        var root = DefaultConfig.Load(profile, environment: _ => null).Config;

        var error = Assert.Throws<InvalidConfigurationException>(() => ConversationHosting.Prepare(root));

        Assert.Equal($"The chat endpoint {host} needs an API key: set {variable} in the environment.", error.Message);
    }

    [Fact]
    public void A_cloud_profile_with_its_key_prepares_an_openai_backend()
    {
        var root = DefaultConfig.Load("telnyx", environment: name => name == "TELNYX_API_KEY" ? "KEY-test" : null).Config;

        var setup = ConversationHosting.Prepare(root);

        Assert.Equal("openai", setup.Settings.Provider);
        Assert.StartsWith("meta-llama/", setup.Backend.ResponderName);
        Assert.EndsWith("at api.telnyx.com", setup.Backend.ResponderName);
        Assert.NotNull(setup.Backend.WarmUp);
    }

    [Fact]
    public void The_offline_responders_first_word_delay_is_read_from_the_settings()
    {
        var root = DefaultConfig.Load(null, null, ["conversation.offline-first-word-delay=600ms"], environment: _ => null).Config;

        Assert.Equal(TimeSpan.FromMilliseconds(600), ConversationSettings.FromConfig(root).OfflineFirstWordDelay);
    }
}

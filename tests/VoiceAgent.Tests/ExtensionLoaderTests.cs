using Akka.Actor;
using VoiceAgent.Configuration;
using VoiceAgent.Extensions.SessionLog;
using VoiceAgent.Hosting;

namespace VoiceAgent.Tests;

public class ExtensionLoaderTests
{
    private static Akka.Configuration.Config Load(string text) =>
        LayeredConfig.Load(DefaultConfig.Defaults, [new ConfigSource("ext.conf", text)], _ => null).Config;

    [Fact]
    public void The_shipped_session_log_resolves_from_the_defaults()
    {
        var extensions = ExtensionLoader.Resolve(Load(""));
        var log = Assert.Single(extensions, e => e.Name == "session-log");
        Assert.Equal(typeof(SessionLogActor), log.ActorType);
        Assert.Equal("sessions", log.Settings.GetString("folder"));
    }

    [Fact]
    public void A_disabled_extension_is_not_created()
    {
        var extensions = ExtensionLoader.Resolve(Load("voice-agent.extensions.session-log.enabled = false"));
        Assert.DoesNotContain(extensions, e => e.Name == "session-log");
    }

    [Fact]
    public void An_unknown_type_names_the_key_to_fix()
    {
        var error = Assert.Throws<InvalidConfigurationException>(() =>
            ExtensionLoader.Resolve(Load("voice-agent.extensions.mine.type = \"No.Such.Actor, NoSuchAssembly\"")));
        Assert.Contains("voice-agent.extensions.mine.type", error.Message);
        Assert.Contains("No.Such.Actor, NoSuchAssembly", error.Message);
    }

    [Fact]
    public void A_type_that_is_not_an_actor_is_refused()
    {
        var error = Assert.Throws<InvalidConfigurationException>(() =>
            ExtensionLoader.Resolve(Load($"voice-agent.extensions.mine.type = \"{typeof(string).AssemblyQualifiedName}\"")));
        Assert.Contains("is not an actor", error.Message);
    }

    [Fact]
    public void An_extension_without_a_type_is_refused()
    {
        var error = Assert.Throws<InvalidConfigurationException>(() =>
            ExtensionLoader.Resolve(Load("voice-agent.extensions.mine.enabled = true")));
        Assert.Contains("voice-agent.extensions.mine.type", error.Message);
    }

    [Fact]
    public void A_test_extension_is_found_by_its_assembly_qualified_name()
    {
        var type = typeof(EchoExtension);
        var extensions = ExtensionLoader.Resolve(Load($"voice-agent.extensions.echo {{ type = \"{type.FullName}, {type.Assembly.GetName().Name}\"\n reply = \"pong\" }}"));
        var echo = Assert.Single(extensions, e => e.Name == "echo");
        Assert.Equal(type, echo.ActorType);
        Assert.Equal("pong", echo.Settings.GetString("reply"));
        Assert.True(typeof(ActorBase).IsAssignableFrom(echo.ActorType));
    }
}

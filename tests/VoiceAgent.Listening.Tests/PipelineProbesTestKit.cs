using Akka.Hosting;
using Akka.TestKit;
using VoiceAgent.Protocol;

namespace VoiceAgent.Listening.Tests;

/// <summary>A TestKit whose conversation, TTS and playback roles are probes registered under their
/// marker keys, so a RecognizerActor under test talks to them as it would to the real actors.</summary>
public abstract class PipelineProbesTestKit(ITestOutputHelper output) : Akka.Hosting.TestKit.TestKit(output: output)
{
    protected TestProbe ConversationProbe { get; private set; } = null!;

    protected TestProbe TtsProbe { get; private set; } = null!;

    protected TestProbe PlaybackProbe { get; private set; } = null!;

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider)
    {
    }

    protected override async Task BeforeTestStart()
    {
        await base.BeforeTestStart();
        ConversationProbe = CreateTestProbe();
        TtsProbe = CreateTestProbe();
        PlaybackProbe = CreateTestProbe();
        ActorRegistry.Register<ConversationActorKey>(ConversationProbe.Ref);
        ActorRegistry.Register<TtsActorKey>(TtsProbe.Ref);
        ActorRegistry.Register<PlaybackActorKey>(PlaybackProbe.Ref);
    }
}

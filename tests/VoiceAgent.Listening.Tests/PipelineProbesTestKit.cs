using Akka.Actor;
using Akka.Hosting;
using Akka.TestKit;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Listening.Tests;

/// <summary>A TestKit whose conversation, TTS and playback roles are probes subscribed to the facts
/// the recognizer publishes for them (a barge-in for all three, the transcript for the
/// conversation, onsets and dismissals for playback), as the real actors are.</summary>
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
        Sys.EventStream.Subscribe(ConversationProbe.Ref, typeof(BargeIn));
        Sys.EventStream.Subscribe(ConversationProbe.Ref, typeof(TranscriptFinal));
        Sys.EventStream.Subscribe(TtsProbe.Ref, typeof(BargeIn));
        Sys.EventStream.Subscribe(PlaybackProbe.Ref, typeof(UserSpeechStarted));
        Sys.EventStream.Subscribe(PlaybackProbe.Ref, typeof(UserSpeechDismissed));
        Sys.EventStream.Subscribe(PlaybackProbe.Ref, typeof(BargeIn));
    }

    /// <summary>Returns once <paramref name="actor"/> has handled everything told to it before.</summary>
    protected static void CaughtUp(IActorRef actor, TimeSpan timeout) =>
        Assert.True(actor.Ask<ActorIdentity>(new Identify(null), timeout).Wait(timeout), "the actor did not catch up");
}

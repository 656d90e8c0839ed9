using Akka.Actor;
using Akka.Hosting;
using VoiceAgent.Protocol;

namespace VoiceAgent.Listening;

public static class ListeningHosting
{
    /// <summary>Creates the RecognizerActor from <c>voice-agent.listening</c> / <c>barge-in</c> and
    /// registers it under <see cref="RecognizerActorKey"/>.</summary>
    public static AkkaConfigurationBuilder WithRecognizerActor(this AkkaConfigurationBuilder builder, Akka.Configuration.Config root)
    {
        var settings = ListeningSettings.FromConfig(root);
        return builder.WithActors((system, registry) =>
        {
            var actor = system.ActorOf(Props.Create(() => new RecognizerActor(settings, null, null)), "recognizer");
            registry.Register<RecognizerActorKey>(actor);
        });
    }
}

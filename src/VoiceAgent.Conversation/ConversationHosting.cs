using Akka.Actor;
using Akka.Hosting;
using VoiceAgent.Protocol;

namespace VoiceAgent.Conversation;

public static class ConversationHosting
{
    /// <summary>Creates the ConversationActor from <c>voice-agent.conversation</c> and registers it
    /// under <see cref="ConversationActorKey"/>.</summary>
    public static AkkaConfigurationBuilder WithConversationActor(this AkkaConfigurationBuilder builder, Akka.Configuration.Config root)
    {
        var settings = ConversationSettings.FromConfig(root);
        var (client, responder) = ChatClientFactory.Create(settings);
        return builder.WithActors((system, registry) =>
        {
            var engine = new ConversationEngine(client, settings, responder);
            var actor = system.ActorOf(Props.Create(() => new ConversationActor(engine, null)), "conversation");
            registry.Register<ConversationActorKey>(actor);
        });
    }
}

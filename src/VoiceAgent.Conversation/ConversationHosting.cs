using Akka.Actor;
using Akka.Hosting;
using VoiceAgent.Pipeline;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Conversation;

/// <summary>The checked settings and chat backend, ready to create the ConversationActor.</summary>
public sealed record ConversationSetup(ConversationSettings Settings, ChatBackend Backend);

public static class ConversationHosting
{
    /// <summary>Reads and checks <c>voice-agent.conversation</c> and builds the chat backend. Throws
    /// <see cref="Configuration.InvalidConfigurationException"/> (one line) for a bad value or a
    /// missing API key: call it before the host starts so the user sees that line, not a start-up failure.</summary>
    public static ConversationSetup Prepare(Akka.Configuration.Config root)
    {
        var settings = ConversationSettings.FromConfig(root);
        return new ConversationSetup(settings, ChatClientFactory.Create(settings));
    }

    /// <summary>Creates the ConversationActor from <c>voice-agent.conversation</c> and registers it
    /// under <see cref="ConversationActorKey"/>.</summary>
    public static AkkaConfigurationBuilder WithConversationActor(this AkkaConfigurationBuilder builder, Akka.Configuration.Config root) =>
        builder.WithConversationActor(Prepare(root));

    public static AkkaConfigurationBuilder WithConversationActor(this AkkaConfigurationBuilder builder, ConversationSetup setup)
    {
        var (settings, backend) = setup;
        return builder.WithActors((system, registry) =>
        {
            var engine = new ConversationEngine(backend.Client, settings, backend.ResponderName) { ToolsUnsupported = backend.ToolsUnsupported };
            var warmUp = settings.WarmUp ? backend.WarmUp : null;
            var actor = system.ActorOf(Props.Create(() => new ConversationActor(engine, null, settings.ToolTimeout, warmUp,
                settings.TypingInterrupts, settings.PreemptiveReplies)), "conversation");
            system.EventStream.Subscribe(actor, ConversationActor.Facts);
            registry.Register<ConversationActorKey>(actor);
            // A local model's native memory goes with the actor system (after the actor stopped its turn).
            system.RegisterOnTermination(() => backend.Client.Dispose());
        });
    }
}

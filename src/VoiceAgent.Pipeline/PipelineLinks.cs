using Akka.Actor;
using Akka.Hosting;
using VoiceAgent.Protocol;

namespace VoiceAgent.Pipeline;

/// <summary>
/// How an actor reaches the rest of the pipeline: other roles through the ActorRegistry (by
/// marker key), observers through the EventStream. Looked up per message, so the order in which
/// actors start does not matter and a test can register a probe under any key.
/// </summary>
public sealed class PipelineLinks
{
    private readonly ActorRegistry _registry;
    private readonly Akka.Event.EventStream _events;

    public PipelineLinks(ActorSystem system, TimeProvider? clock = null)
    {
        _registry = ActorRegistry.For(system);
        _events = system.EventStream;
        Clock = clock ?? TimeProvider.System;
    }

    public TimeProvider Clock { get; }

    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>Sends to the actor registered under <typeparamref name="TKey"/>; a role that is not
    /// running (for example no microphone in text mode) simply receives nothing.</summary>
    public void Tell<TKey>(object message, IActorRef? sender = null)
    {
        if (_registry.TryGet<TKey>(out var target))
            target.Tell(message, sender ?? ActorRefs.NoSender);
    }

    public void Publish(IPipelineEvent pipelineEvent) => _events.Publish(pipelineEvent);

    /// <summary>Tells the roles that act on a barge-in, then lets observers know.</summary>
    public void BroadcastBargeIn(BargeIn bargeIn, IActorRef sender)
    {
        Tell<TtsActorKey>(bargeIn, sender);
        Tell<PlaybackActorKey>(bargeIn, sender);
        Tell<ConversationActorKey>(bargeIn, sender);
        Publish(bargeIn);
    }
}

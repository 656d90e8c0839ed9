using Akka.Actor;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Pipeline;

/// <summary>
/// How an actor tells the pipeline what happened: facts (<see cref="IPipelineEvent"/>) go on the
/// EventStream, stamped with the pipeline's clock, for every role that acts on them and every
/// observer. Commands are told to the peers the actor was given; nothing is looked up per message.
/// </summary>
public sealed class PipelineEvents
{
    private readonly Akka.Event.EventStream _events;

    public PipelineEvents(ActorSystem system, TimeProvider? clock = null)
    {
        _events = system.EventStream;
        Clock = clock ?? TimeProvider.System;
    }

    public TimeProvider Clock { get; }

    public DateTimeOffset Now => Clock.GetUtcNow();

    public void Publish(IPipelineEvent fact) => _events.Publish(fact);
}

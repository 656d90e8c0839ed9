using Akka.Actor;
using Akka.Event;

namespace VoiceAgent.Pipeline;

/// <summary>
/// The one delivery rule: a fact (a pipeline event, something that happened) is published on the
/// EventStream and every role that acts on it subscribes; a command is told to the one actor that
/// carries it out. Each actor declares the facts it acts on; the composition root subscribes it to
/// them as it creates it, so no fact published during start-up is missed, and the actor subscribes
/// again in PreStart (a second subscription changes nothing), so it also works when a test creates
/// it alone.
/// </summary>
public static class FactSubscriptions
{
    public static void Subscribe(this EventStream events, IActorRef actor, IEnumerable<Type> facts)
    {
        foreach (var fact in facts) events.Subscribe(actor, fact);
    }
}

using Akka.Actor;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Conversation.Tests;

internal static class TtsStandIn
{
    /// <summary>Subscribes <paramref name="probe"/> to what the conversation publishes that the real
    /// TtsActor acts on (a turn, its text, a barge-in), so it stands in for it.</summary>
    public static void SubscribeAsTts(this ActorSystem system, IActorRef probe)
    {
        foreach (var fact in new[] { typeof(AgentTurnStarted), typeof(AgentText), typeof(AgentTextCompleted), typeof(BargeIn) })
            system.EventStream.Subscribe(probe, fact);
    }
}

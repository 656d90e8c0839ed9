using Akka.Actor;
using Akka.Hosting;

namespace VoiceAgent.Pipeline;

/// <summary>How the composition root hands an actor the peers it tells commands to.</summary>
public static class Peers
{
    /// <summary>The actor registered under <typeparamref name="TKey"/>, or Nobody when that role does
    /// not run in this host (a test of one actor, <c>say</c> without a recognizer): what is told to
    /// it is then dropped, as nothing would act on it.</summary>
    public static IActorRef PeerOrNobody<TKey>(this IReadOnlyActorRegistry registry) =>
        registry.TryGet<TKey>(out var peer) ? peer : ActorRefs.Nobody;
}

using Akka.Actor;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Conversation;

/// <summary>Who asked (<see cref="NotifyWhenIdle"/>) to hear when the conversation has no turn left;
/// each is told once, then forgotten.</summary>
internal sealed class IdleWaiters
{
    private readonly List<IActorRef> _waiters = [];

    public void Add(IActorRef waiter) => _waiters.Add(waiter);

    public void ReleaseAll(IActorRef conversation)
    {
        foreach (var waiter in _waiters) waiter.Tell(new ConversationIdle(), conversation);
        _waiters.Clear();
    }
}

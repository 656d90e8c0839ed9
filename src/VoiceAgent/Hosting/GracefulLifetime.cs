using Akka;
using Akka.Actor;

namespace VoiceAgent.Hosting;

/// <summary>
/// Start and stop for observers of the EventStream (extensions, the console view), so they miss
/// nothing at either end: start-up waits until they have subscribed, and shutdown lets them work
/// through the events already in their mailboxes before they stop.
/// </summary>
public static class GracefulLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Blocks until each actor has run PreStart (it answers Identify only after that), so
    /// events published from now on reach the subscriptions it made there. Used during start-up.</summary>
    public static void AwaitStarted(IEnumerable<IActorRef> actors) =>
        Task.WhenAll(actors.Select(a => a.Ask<ActorIdentity>(new Identify(null), StartTimeout))).GetAwaiter().GetResult();

    /// <summary>Stopping the actor system stops actors ahead of their queued messages; a PoisonPill
    /// queues behind them instead, so the last events are still shown and logged.</summary>
    public static void StopGracefullyOnShutdown(ActorSystem system, IReadOnlyList<IActorRef> actors, string name)
    {
        if (actors.Count == 0) return;
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceStop, name, async () =>
        {
            await Task.WhenAll(actors.Select(async actor =>
            {
                try
                {
                    await actor.GracefulStop(StopTimeout);
                }
                catch (TaskCanceledException)
                {
                    // Took too long: the actor system's own stop takes over.
                }
            }));
            return Done.Instance;
        });
    }
}

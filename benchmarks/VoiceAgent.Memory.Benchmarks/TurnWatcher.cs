using System.Threading.Channels;
using Akka.Actor;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Memory.Benchmarks;

/// <summary>What the conversation did, counted as it happens (no event is kept: a record of
/// every event would itself grow over a long run).</summary>
internal sealed class TurnCounts
{
    private int _pauses;
    private int _bargeIns;

    public Channel<AgentTurnEnded> Ended { get; } = Channel.CreateUnbounded<AgentTurnEnded>();

    public int PausesForEcho => Volatile.Read(ref _pauses);

    public int BargeIns => Volatile.Read(ref _bargeIns);

    public void CountPause() => Interlocked.Increment(ref _pauses);

    public void CountBargeIn() => Interlocked.Increment(ref _bargeIns);
}

/// <summary>Watches the pipeline's events for ended turns, playback pauses and barge-ins. Nobody
/// speaks in this conversation (the user types), so every pause is for the agent's own echo and
/// every barge-in is a false one.</summary>
internal sealed class TurnWatcher : ReceiveActor
{
    public TurnWatcher(TurnCounts counts)
    {
        Receive<AgentTurnEnded>(m => counts.Ended.Writer.TryWrite(m));
        Receive<PlaybackPaused>(_ => counts.CountPause());
        Receive<BargeIn>(_ => counts.CountBargeIn());
    }

    protected override void PreStart()
    {
        foreach (var type in new[] { typeof(AgentTurnEnded), typeof(PlaybackPaused), typeof(BargeIn) })
            Context.System.EventStream.Subscribe(Self, type);
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);
}

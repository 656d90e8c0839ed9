using Akka.Actor;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Simulation;

/// <summary>A pipeline event and the room time at which it was observed.</summary>
public sealed record TimelineEntry(TimeSpan At, IPipelineEvent Event);

/// <summary>Pipeline events stamped with the room's clock as they happen.</summary>
public sealed class Timeline(Func<TimeSpan> roomClock)
{
    private readonly List<TimelineEntry> _entries = [];

    public event Action<TimelineEntry>? Observed;

    public void Record(IPipelineEvent e)
    {
        var entry = new TimelineEntry(roomClock(), e);
        lock (_entries) _entries.Add(entry);
        Observed?.Invoke(entry);
    }

    public IReadOnlyList<TimelineEntry> Entries
    {
        get { lock (_entries) return _entries.ToList(); }
    }
}

/// <summary>Subscribes to every pipeline event and records it on the <see cref="Timeline"/>.</summary>
public sealed class TimelineRecorder : ReceiveActor
{
    public TimelineRecorder(Timeline timeline)
    {
        Receive<IPipelineEvent>(timeline.Record);
    }

    protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(IPipelineEvent));

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);
}

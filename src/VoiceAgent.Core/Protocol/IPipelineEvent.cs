namespace VoiceAgent.Core.Protocol;

/// <summary>
/// Marker for everything published on the actor system's EventStream. An added actor that
/// subscribes to <see cref="IPipelineEvent"/> observes the whole pipeline without touching it.
/// </summary>
public interface IPipelineEvent;

/// <summary>Marker for events that belong to one agent turn.</summary>
public interface ITurnEvent : IPipelineEvent
{
    TurnId Turn { get; }
}

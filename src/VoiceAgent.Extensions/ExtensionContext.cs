using Akka.Configuration;

namespace VoiceAgent.Extensions;

/// <summary>
/// What an extension actor receives in its constructor: its name (the block's key under
/// <c>voice-agent.extensions</c>) and its own config block. Everything else it reaches like any
/// actor: the EventStream to observe, the ActorRegistry (marker keys) to send commands.
/// </summary>
public sealed record ExtensionContext(string Name, Config Settings);

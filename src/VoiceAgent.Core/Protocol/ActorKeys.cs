namespace VoiceAgent.Core.Protocol;

// Marker keys for the Akka.Hosting ActorRegistry: actors find each other through these, so a
// test (or an extension) can stand in for any role by registering its own actor under the key.

public sealed class MicrophoneActorKey;

public sealed class RecognizerActorKey;

public sealed class ConversationActorKey;

public sealed class TtsActorKey;

public sealed class PlaybackActorKey;

namespace VoiceAgent.Protocol;

public sealed record PlaybackStarted(TurnId Turn, DateTimeOffset At) : ITurnEvent;

/// <summary>What has actually been played of a turn so far.</summary>
public sealed record PlaybackProgress(TurnId Turn, TimeSpan Played, string HeardText) : ITurnEvent;

public sealed record PlaybackPaused(TurnId Turn, DateTimeOffset At) : ITurnEvent;

public sealed record PlaybackResumed(TurnId Turn, DateTimeOffset At) : ITurnEvent;

/// <summary>Playback of the turn was cut (barge-in); the rest of its audio was dropped.</summary>
public sealed record PlaybackStopped(TurnId Turn, TimeSpan Played, string HeardText, DateTimeOffset At) : ITurnEvent;

/// <summary>Everything of the turn has been played.</summary>
public sealed record PlaybackFinished(TurnId Turn, TimeSpan Played, string HeardText, DateTimeOffset At) : ITurnEvent;

public sealed record PlaybackFailed(string Device, string Reason) : IPipelineEvent;

/// <summary>A piece of audio as it went to the speakers, for an echo canceller or suppressor:
/// <paramref name="PlayedAt"/> is when its first sample is expected to be heard. Sent to the
/// RecognizerActor (not published as a pipeline event: it arrives every 20 ms).</summary>
public sealed record PlaybackReference(ReadOnlyMemory<short> Samples, int SampleRate, DateTimeOffset PlayedAt);

namespace VoiceAgent.Core.Protocol;

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
/// <param name="Continues">The piece follows the previous one in the device with no gap, so it
/// belongs right after it on the listener's timeline. Time stamps jitter by a sample or more;
/// sample counts do not, and an echo canceller needs its reference exact to the sample.</param>
public sealed record PlaybackReference(ReadOnlyMemory<short> Samples, int SampleRate, DateTimeOffset PlayedAt, bool Continues = false);

/// <summary>The device dropped the audio it held (a pause or a stop): reference announced to be
/// heard from <paramref name="From"/> on will not be heard. Sent to the RecognizerActor.</summary>
public sealed record PlaybackReferenceCut(DateTimeOffset From);

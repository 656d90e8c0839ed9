namespace VoiceAgent.Core.Protocol;

/// <summary>Audio of an agent turn, on its way from the TtsActor to the PlaybackActor, already at
/// the playback rate. A chunk with <paramref name="Text"/> set marks the end of a spoken segment
/// (a sentence): once playback reaches it, that text has been heard. In text-only output every
/// chunk is such a marker with no samples.</summary>
public sealed record AudioChunk(TurnId Turn, ReadOnlyMemory<short> Samples, int SampleRate, string? Text = null);

/// <summary>No more audio will come for this turn.</summary>
public sealed record SpeechCompleted(TurnId Turn) : ITurnEvent;

/// <summary>The TTS actor interrupted synthesis of <paramref name="Turn"/> (force frame or reconnect).</summary>
public sealed record SpeechInterrupted(TurnId Turn, string Method, DateTimeOffset At) : ITurnEvent;

public sealed record SpeechFailed(TurnId Turn, string Reason) : ITurnEvent;

/// <summary>Synthesis metrics of one turn.</summary>
public sealed record SpeechMetrics(
    TurnId Turn,
    TimeSpan? FirstTextToFirstAudio,
    int? ServerTimeToFirstAudioMs,
    long AudioBytes,
    TimeSpan AudioDuration) : ITurnEvent;

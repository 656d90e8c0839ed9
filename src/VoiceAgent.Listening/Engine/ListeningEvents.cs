using VoiceAgent.Listening.Interruptions;

namespace VoiceAgent.Listening.Engine;

/// <summary>What the listening engine noticed in the audio. Times are on the capture clock.</summary>
public abstract record ListeningEvent(TimeSpan At);

/// <summary>User speech began at <paramref name="Onset"/>; noticed at <paramref name="At"/>.</summary>
public sealed record SpeechBegan(TimeSpan Onset, TimeSpan At) : ListeningEvent(At);

/// <summary>The user's speech segment ended (enough silence, or push-to-talk released).</summary>
public sealed record SpeechFinished(TimeSpan Onset, TimeSpan End, TimeSpan At) : ListeningEvent(At)
{
    /// <summary>Its audio follows as an <see cref="UtteranceReady"/> (not when too short or too quiet).</summary>
    public bool Transcribed { get; init; }
}

/// <summary>A barge-in decision about the agent's current turn.</summary>
public sealed record BargeInDecided(BargeInDecision Decision) : ListeningEvent(Decision.At);

/// <summary>An utterance worth transcribing: long enough and above the silence floor.</summary>
public sealed record UtteranceReady(short[] Samples, TimeSpan Start, TimeSpan End, TimeSpan At) : ListeningEvent(At)
{
    /// <summary>Where its speech segment began (its <see cref="Start"/> is earlier by the padding).</summary>
    public TimeSpan Onset { get; init; }
}

/// <summary>Words decide a barge-in: the audio heard over the paused agent, from the onset at
/// <paramref name="Onset"/> (with the speech padding, from <paramref name="Start"/>) to
/// <paramref name="End"/>, to be transcribed and its words given back to the engine
/// (<see cref="ListeningEngine.Heard"/>).</summary>
public sealed record OverlapReady(short[] Samples, TimeSpan Onset, TimeSpan Start, TimeSpan End, TimeSpan At) : ListeningEvent(At);

/// <summary>One scored VAD window, for diagnostics and benchmarks.</summary>
public sealed record WindowScored(TimeSpan Start, TimeSpan End, float Probability, bool Speech, double MicDbfs, double ResidualDbfs, bool EchoActive, bool Gated)
    : ListeningEvent(End);

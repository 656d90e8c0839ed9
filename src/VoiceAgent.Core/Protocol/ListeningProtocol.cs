namespace VoiceAgent.Core.Protocol;

/// <summary>Where a user's words (or an interruption) came from.</summary>
public enum InputSource
{
    Voice,
    Keyboard,
    Command,
}

/// <summary>Voice activity onset. <paramref name="AgentTurn"/> is the turn being spoken at the
/// time (None when the agent is silent): playback pauses at once, keeping its buffer.</summary>
public sealed record UserSpeechStarted(TurnId AgentTurn, DateTimeOffset At) : IPipelineEvent
{
    /// <summary>When the recognizer decided it, on the microphone's capture clock (position in
    /// the captured stream), independent of how late a busy machine let it run.</summary>
    public TimeSpan? DecidedAtCapture { get; init; }
}

/// <summary>The onset was not confirmed (a cough, a door): playback resumes where it paused.</summary>
public sealed record UserSpeechDismissed(TurnId AgentTurn, DateTimeOffset At) : IPipelineEvent;

public sealed record UserSpeechEnded(DateTimeOffset At) : IPipelineEvent;

/// <summary>A confirmed interruption of <paramref name="Turn"/>: TTS sends force, playback drops
/// its buffer, the conversation cancels the reply and keeps only what was heard.</summary>
public sealed record BargeIn(TurnId Turn, InputSource Source, DateTimeOffset At) : ITurnEvent
{
    /// <summary>For a voice barge-in, when it was confirmed on the microphone's capture clock.</summary>
    public TimeSpan? DecidedAtCapture { get; init; }

    /// <summary>For a voice barge-in confirmed by words: the words heard over the agent.</summary>
    public string? Words { get; init; }
}

public sealed record TranscriptPartial(string Text) : IPipelineEvent;

/// <summary>What the user said (or typed). <paramref name="SpeechEndedAt"/> is when they stopped
/// talking, used for latency.</summary>
public sealed record TranscriptFinal(string Text, InputSource Source, DateTimeOffset SpeechEndedAt) : IPipelineEvent
{
    /// <summary>Recognized speech: the engine that heard it ("Whisper base.en", "PocketSphinx").</summary>
    public string? Recognizer { get; init; }

    /// <summary>Recognized speech: the length of the utterance the engine was given.</summary>
    public TimeSpan? SpeechLength { get; init; }

    /// <summary>Recognized speech: from the end of speech to the transcript (the wait for the
    /// end of the utterance plus recognition), the first part of the turn's latency.</summary>
    public TimeSpan? RecognitionLatency { get; init; }

    /// <summary>Recognized speech: from the end of speech to the decision that the user's turn
    /// ended (the silence waited, or the recognizer when it was slower).</summary>
    public TimeSpan? EndOfTurnDelay { get; init; }

    /// <summary>Recognized speech: why the turn was taken as ended ("complete sentence", "trailing
    /// conjunction", "longest silence", …).</summary>
    public string? EndOfTurnReason { get; init; }

    /// <summary>A line the user typed (text mode), trimmed; published by the console like speech.</summary>
    public static TranscriptFinal Typed(string line, DateTimeOffset at) => new(line.Trim(), InputSource.Keyboard, at);
}

/// <summary>What the recognizer can do, announced at start (voice or text mode).</summary>
public sealed record RecognizerReady(bool VoiceInput, string Description) : IPipelineEvent;

/// <summary>Push-to-talk (listening.mode = push-to-talk): speech counts only while the talk key is
/// held. Sent to the RecognizerActor (the console's <c>/ptt</c> toggles it) and published so the
/// status line can show it.</summary>
public sealed record PushToTalk(bool Held) : IPipelineEvent;

namespace VoiceAgent.Listening.Turns;

/// <summary>What the recognizer heard in one utterance: its speech from <paramref name="Onset"/>
/// to <paramref name="End"/> on the capture clock (without the padding around it), and its text
/// (empty when it heard no words).</summary>
public sealed record UtteranceTranscript(TimeSpan Onset, TimeSpan End, string Text)
{
    /// <summary>The audio the recognizer was given (16 kHz mono).</summary>
    public ReadOnlyMemory<short> Audio { get; init; }

    /// <summary>The engine that heard it ("Whisper base.en", "PocketSphinx").</summary>
    public string? Recognizer { get; init; }

    /// <summary>When the text was there, on the wall clock.</summary>
    public DateTimeOffset RecognizedAt { get; init; }
}

/// <summary>One stretch of the user's speech in the current turn: its words once they are known.</summary>
internal sealed class TurnSegment(TimeSpan onset)
{
    public TimeSpan Onset { get; } = onset;

    /// <summary>Null while the user is still speaking.</summary>
    public TimeSpan? End { get; set; }

    /// <summary>Null until the recognizer has answered; empty when it heard no words.</summary>
    public UtteranceTranscript? Transcript { get; set; }

    public bool Heard => Transcript is not null;

    public string Text => Transcript?.Text.Trim() ?? "";
}

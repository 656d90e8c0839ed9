namespace VoiceAgent.Listening;

/// <summary>Turns one utterance (16 kHz mono s16) into text.</summary>
public interface ISpeechRecognizer
{
    /// <summary>Shown to the user: which recognizer listens, or why none does.</summary>
    string Description { get; }

    Task<string> TranscribeAsync(ReadOnlyMemory<short> utterance, CancellationToken cancellationToken);
}

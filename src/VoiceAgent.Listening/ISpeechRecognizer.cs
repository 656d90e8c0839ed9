namespace VoiceAgent.Listening;

/// <summary>Turns one utterance (16 kHz mono s16) into text. Callers never pass near-silent audio
/// (the listening engine holds it back): Whisper-style models invent words on silence.</summary>
public interface ISpeechRecognizer : IDisposable
{
    /// <summary>The engine in a few words ("Whisper base.en", "PocketSphinx"), shown beside each transcript.</summary>
    string Name { get; }

    /// <summary>Shown to the user: which recognizer listens.</summary>
    string Description { get; }

    /// <summary>The text, possibly empty; throws <see cref="SpeechRecognitionException"/> with a
    /// one-line reason when the recognizer fails.</summary>
    Task<string> TranscribeAsync(ReadOnlyMemory<short> utterance, CancellationToken cancellationToken);

    /// <summary>The same, told where the utterance's first sample lies on the capture clock. Only
    /// a recognizer that knows what was said when needs it (the simulation's scripted one); the
    /// others hear the audio alone.</summary>
    Task<string> TranscribeAsync(ReadOnlyMemory<short> utterance, TimeSpan captureStart, CancellationToken cancellationToken) =>
        TranscribeAsync(utterance, cancellationToken);
}

/// <summary>A recognition failure whose message is one line for the user (never a secret).</summary>
public sealed class SpeechRecognitionException(string message, Exception? inner = null) : Exception(message, inner);

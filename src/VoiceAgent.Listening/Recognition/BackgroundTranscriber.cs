using Akka.Actor;

namespace VoiceAgent.Listening.Recognition;

/// <summary>A transcription failed: <paramref name="Reason"/> is one line for the user, and
/// <paramref name="NoWords"/> the answer as if nothing had been heard, which the actor handles
/// like any other (a turn must not wait for words that will never come).</summary>
public sealed record TranscriptionFailed(string Reason, object NoWords);

/// <summary>
/// Runs the recognizer on workers, never on an actor's mailbox, each piece of audio on its own so
/// that none waits behind a slow one; the answer goes back to the actor as a message.
/// </summary>
public sealed class BackgroundTranscriber(ISpeechRecognizer recognizer, CancellationToken stopping)
{
    public string Name => recognizer.Name;

    /// <summary>Transcribes <paramref name="samples"/>, whose first sample is at
    /// <paramref name="start"/> on the capture clock, and tells <paramref name="actor"/> what
    /// <paramref name="answer"/> makes of the words, or a <see cref="TranscriptionFailed"/>.</summary>
    public void Start(short[] samples, TimeSpan start, Func<string, object> answer, IActorRef actor)
    {
        var noWords = answer("");
        Task.Run(async () =>
        {
            try
            {
                return answer(await recognizer.TranscribeAsync(samples, start, stopping).ConfigureAwait(false));
            }
            catch (SpeechRecognitionException e)
            {
                return new TranscriptionFailed(e.Message, noWords);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return new TranscriptionFailed($"speech recognition failed: {e.Message}", noWords);
            }
        }, stopping).PipeTo(actor);
    }
}

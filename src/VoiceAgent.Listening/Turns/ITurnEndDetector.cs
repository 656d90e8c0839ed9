namespace VoiceAgent.Listening.Turns;

/// <summary>The user's turn so far, as a detector sees it after they stopped speaking.</summary>
/// <param name="Audio">The turn's audio, 16 kHz mono, its last <see cref="TurnSoFar.MaxAudio"/> at most
/// (what a Smart-Turn-class model scores).</param>
/// <param name="Text">All the words of the turn so far, as the recognizer wrote them: PocketSphinx
/// lowercase without punctuation, Whisper with capitals and punctuation.</param>
public sealed record TurnSoFar(ReadOnlyMemory<short> Audio, string Text)
{
    /// <summary>The longest stretch of audio a detector is given: end-of-turn models look at the
    /// last few seconds (Smart Turn takes 8 s).</summary>
    public static readonly TimeSpan MaxAudio = TimeSpan.FromSeconds(8);
}

/// <summary>How much silence after the speech ends the turn, and why (a few words, shown with
/// the transcript and in the session log).</summary>
public sealed record TurnEndDecision(TimeSpan Silence, string Reason);

/// <summary>Decides how long the user may stay silent before their turn is over. The answer is
/// clamped to <c>turn.min-silence</c> .. <c>turn.max-silence</c> by the caller, so a model only
/// says how sure it is that the user has finished, expressed as a wait. Called on the recognizer's
/// mailbox whenever the turn's words change: keep it to milliseconds.</summary>
public interface ITurnEndDetector
{
    TurnEndDecision Decide(TurnSoFar turn);
}

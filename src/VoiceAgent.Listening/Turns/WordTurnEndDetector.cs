namespace VoiceAgent.Listening.Turns;

/// <summary>
/// The end of the turn from the words alone: a turn that sounds finished (a question, a closed
/// sentence) ends after the shortest silence, one that trails off (a conjunction, a filler, an
/// unfinished clause) after the longest, and one with no cue either way after the middle one.
/// People pause mid-sentence for well over half a second while they look for a word; cutting
/// them off there is worse than answering a finished question a little later.
/// </summary>
public sealed class WordTurnEndDetector(TurnSettings settings) : ITurnEndDetector
{
    public TurnEndDecision Decide(TurnSoFar turn)
    {
        var cue = TrailingWords.Read(turn.Text);
        var silence = cue switch
        {
            TurnEndCue.Question or TurnEndCue.CompleteSentence => settings.MinSilence,
            TurnEndCue.TrailingConjunction or TurnEndCue.Filler or TurnEndCue.UnfinishedClause => settings.MaxSilence,
            _ => settings.Silence,
        };
        return new TurnEndDecision(silence, Describe(cue));
    }

    public static string Describe(TurnEndCue cue) => cue switch
    {
        TurnEndCue.Question => "question",
        TurnEndCue.CompleteSentence => "complete sentence",
        TurnEndCue.TrailingConjunction => "trailing conjunction",
        TurnEndCue.Filler => "filler",
        TurnEndCue.UnfinishedClause => "unfinished clause",
        _ => "no cue in the words",
    };
}

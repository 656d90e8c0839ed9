using VoiceAgent.Listening.Vad;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Listening.Interruptions;

public enum BargeInAction
{
    /// <summary>Speech began while the agent speaks: pause playback, keep its buffer.</summary>
    Pause,

    /// <summary>The speech lasted: interrupt the turn (force, drop the buffer, cancel the reply).</summary>
    Confirm,

    /// <summary>It was not speech that lasted (a cough, a door): resume playback where it paused.</summary>
    Dismiss,

    /// <summary>Words decide: transcribe the audio heard over the agent, from the onset to now,
    /// and tell the machine what it says (<see cref="BargeInStateMachine.Heard"/>).</summary>
    Transcribe,
}

/// <summary>How words decide a barge-in: at most <paramref name="MaxPause"/> (from the onset,
/// capture clock) waiting for them before the duration rule decides, and a new transcription of
/// the overlap for every <paramref name="Retranscribe"/> of further speech while the words heard
/// decide nothing.</summary>
public sealed record WordsRule(TimeSpan MaxPause, TimeSpan Retranscribe)
{
    /// <summary>Least confident speech worth transcribing: shorter is a click or a breath.</summary>
    public static readonly TimeSpan LeastSpeech = TimeSpan.FromMilliseconds(96);

    /// <summary>Further speech after which an overlap that said nothing yet is transcribed again:
    /// about a word. Shorter only repeats the same work on a busy machine (each transcription is
    /// of the whole overlap, for the recognizer's context); longer keeps the agent paused.</summary>
    public static readonly TimeSpan RetranscribeAfter = TimeSpan.FromMilliseconds(300);
}

/// <summary>A barge-in decision. <paramref name="Onset"/> is when the speech began and
/// <paramref name="At"/> when the decision was taken, both on the capture clock.
/// <paramref name="Words"/>: for a confirmation by words, the words heard.</summary>
public readonly record struct BargeInDecision(BargeInAction Action, TurnId Turn, TimeSpan Onset, TimeSpan At, string? Words = null);

/// <summary>
/// The two-phase barge-in: onset pauses, speech sustained for <c>minSpeech</c> confirms, and an
/// onset not confirmed within <c>resumeAfter</c> is dismissed. Driven by VAD window timestamps
/// (the audio clock), never by wall-clock time, so a scenario replays identically.
/// Only confident windows (probability at least <c>confirmProbability</c>, the VAD's onset
/// threshold) count toward confirmation: the segmenter's hysteresis keeps a segment open through
/// the slowly decaying tail after a short sound, and that tail, added to a moment of residual
/// echo, must not add up to an interruption.
/// <para>
/// With <c>haltWait</c> (speaker mode, where the microphone hears the agent), sustained speech
/// confirms only once some of it is heard after the agent's audio stopped reaching the
/// microphone (<see cref="AgentHalted"/>): until the pause takes effect, what sounds like a user
/// may be the agent's own echo, and a listener running late on a busy machine takes a long
/// time to pause (seen: 1 s and more of echo, confirmed as the user). Echo stops with the
/// pause and its segment ends: dismissed. If no halt is heard of within <c>haltWait</c> after
/// the speech was sustained, the duration alone confirms.
/// </para>
/// <para>
/// With a <see cref="WordsRule"/> (<see cref="DecideByWords"/>), words decide instead of the
/// duration: once the speech is sustained (or its segment ended, or <c>resumeAfter</c> passed)
/// the machine asks for the overlap to be transcribed (<see cref="BargeInAction.Transcribe"/>),
/// one transcription at a time. The user's own words confirm; a backchannel or the agent's own
/// words dismiss; no words ask again once the speech has gone on by the rule's
/// <c>Retranscribe</c>, or once its segment ended with speech not yet transcribed. If the words
/// have not decided within <c>MaxPause</c> of the onset, or the segment ended and every word
/// of it was heard without deciding, the duration rule decides as without words. Through
/// speakers, words confirm only once speech was heard after the halt, as the duration does:
/// echo heard before the pause took effect can be transcribed as words, and stops with it.
/// </para>
/// <para>
/// Once the agent's own words were heard back in a turn, the microphone is known to hear it
/// (a headset mode on speakers, a room the canceller has not learned): pausing at every onset
/// would only make it stutter, each pause lasting until the words say "echo" again. For the
/// rest of that turn an onset does not pause; it is only listened to, and the words decide
/// alone (the user's words still interrupt, with no halt to wait for since nothing paused).
/// </para>
/// </summary>
/// <param name="turn">Where the agent's turns are kept (shared with whoever else needs them).</param>
public sealed class BargeInStateMachine(TimeSpan minSpeech, TimeSpan resumeAfter, bool enabled = true, float confirmProbability = 0f, TimeSpan? haltWait = null, AgentTurn? turn = null)
{
    private enum Phase { Idle, Pending, Confirmed }

    private readonly AgentTurn _turn = turn ?? new AgentTurn();
    private Phase _phase = Phase.Idle;
    private TurnId _pendingTurn = TurnId.None;
    private TimeSpan _onset;
    private TimeSpan _speech;
    private TimeSpan? _sustainedAt;
    private TimeSpan? _haltedFrom;
    private bool _heardAfterHalt;
    private WordsRule? _words;
    // Words mode, per pending onset: whether the duration rule took over, whether the segment
    // ended, a transcription is awaited, how much speech the last one covered, the words heard.
    private bool _byDuration;
    private bool _segmentEnded;
    private bool _awaiting;
    private TimeSpan? _transcribedSpeech;
    private string? _wordsHeard;
    // The agent turn in which its own words were heard back (onsets then only listen), and
    // whether the pending onset paused playback.
    private TurnId _echoHeardIn = TurnId.None;
    private bool _paused;

    /// <summary>The turn the agent is speaking (None when silent).</summary>
    public TurnId SpeakingTurn => _turn.Speaking;

    public bool IsPending => _phase == Phase.Pending;

    /// <summary>Let words decide (null: the duration alone, the default).</summary>
    public void DecideByWords(WordsRule? rule) => _words = rule;

    /// <summary>The agent started speaking <paramref name="turn"/>.</summary>
    public void AgentSpeaking(TurnId turn)
    {
        _turn.Started(turn);
        if (_phase == Phase.Confirmed) _phase = Phase.Idle;
    }

    /// <summary>The agent's turn ended. A pending onset is dismissed (there is nothing left to pause).</summary>
    public BargeInDecision? AgentSilent(TurnId turn, TimeSpan now)
    {
        if (!_turn.Ended(turn)) return null;
        if (_phase != Phase.Pending)
        {
            _phase = Phase.Idle;
            return null;
        }
        _phase = Phase.Idle;
        return _paused ? new BargeInDecision(BargeInAction.Dismiss, _pendingTurn, _onset, now) : null;
    }

    /// <summary>The pause took effect: from capture time <paramref name="silentFrom"/> on, the
    /// microphone no longer hears the agent. Only the first halt of a pending onset counts.</summary>
    public void AgentHalted(TimeSpan silentFrom)
    {
        if (_phase == Phase.Pending) _haltedFrom ??= silentFrom;
    }

    /// <summary>Feeds one VAD window; returns the decision it leads to, if any.</summary>
    public BargeInDecision? Observe(SegmentStep step)
    {
        if (!enabled) return null;
        var window = step.WindowEnd - step.WindowStart;
        switch (_phase)
        {
            case Phase.Idle when step.Onset && !_turn.Speaking.IsNone:
                _phase = Phase.Pending;
                _pendingTurn = _turn.Speaking;
                _onset = step.SegmentStart;
                _speech = window;
                _sustainedAt = _haltedFrom = null;
                _heardAfterHalt = _byDuration = _segmentEnded = _awaiting = false;
                _transcribedSpeech = null;
                _wordsHeard = null;
                _paused = _words is null || _echoHeardIn != _pendingTurn;
                return _paused ? Decide(BargeInAction.Pause, step.WindowEnd) : null;

            case Phase.Pending:
                if (step.Speech && step.Probability >= confirmProbability)
                {
                    _speech += window;
                    if (_haltedFrom is { } halted && step.WindowStart >= halted) _heardAfterHalt = true;
                }
                if (_speech >= minSpeech) _sustainedAt ??= step.WindowEnd;
                _segmentEnded |= step.Offset;
                return _words is { } rule && !_byDuration ? ByWords(rule, step.WindowEnd) : ByDuration(step.WindowEnd);

            case Phase.Confirmed when step.Offset:
                _phase = Phase.Idle;
                return null;

            default:
                return null;
        }
    }

    /// <summary>The speech lasted <c>minSpeech</c> (and, through speakers, was heard after the
    /// halt): confirmed; its segment ended first, or nothing added up in time: dismissed.</summary>
    private BargeInDecision? ByDuration(TimeSpan now)
    {
        if (_sustainedAt is { } sustained && (haltWait is not { } wait || _heardAfterHalt || now - sustained >= wait))
            return Finish(Phase.Confirmed, BargeInAction.Confirm, now);
        return _segmentEnded || Unconfirmed(now) ? Finish(Phase.Idle, BargeInAction.Dismiss, now) : null;
    }

    private BargeInDecision? ByWords(WordsRule rule, TimeSpan now)
    {
        if (_wordsHeard is { } words && HaltHeard) return Finish(Phase.Confirmed, BargeInAction.Confirm, now, words);
        if (now - _onset >= rule.MaxPause) return DurationTakesOver(now);
        // Words already heard wait only for the halt.
        if (_awaiting || _wordsHeard is not null) return null;
        if (_transcribedSpeech is not { } transcribed)
        {
            var due = _sustainedAt is not null || _segmentEnded || now - _onset >= resumeAfter;
            if (!due) return null;
            if (_speech < WordsRule.LeastSpeech) return Finish(Phase.Idle, BargeInAction.Dismiss, now);
            return AskForWords(now);
        }
        if (_speech - transcribed >= rule.Retranscribe || (_segmentEnded && _speech > transcribed)) return AskForWords(now);
        // Every word of the ended segment was heard and none decided.
        return _segmentEnded ? DurationTakesOver(now) : null;
    }

    private BargeInDecision AskForWords(TimeSpan now)
    {
        _awaiting = true;
        _transcribedSpeech = _speech;
        return Decide(BargeInAction.Transcribe, now);
    }

    private BargeInDecision? DurationTakesOver(TimeSpan now)
    {
        // An onset that only listened (the agent's echo is known to be heard) is never confirmed
        // by its duration: that duration may be the agent's own voice.
        if (!_paused) return Finish(Phase.Idle, BargeInAction.Dismiss, now);
        _byDuration = true;
        return ByDuration(now);
    }

    /// <summary>Through speakers, whether speech was heard after the agent's audio stopped
    /// reaching the microphone.</summary>
    private bool HaltHeard => haltWait is null || _heardAfterHalt || !_paused;

    /// <summary>What the recognizer heard over the agent since the onset at
    /// <paramref name="onset"/> (an answer about an earlier onset, or one that comes after the
    /// duration took over, changes nothing).</summary>
    public BargeInDecision? Heard(HeardWords words, TimeSpan onset, TimeSpan now)
    {
        if (_phase != Phase.Pending || onset != _onset || _words is null || _byDuration) return null;
        _awaiting = false;
        switch (words.Kind)
        {
            case WordsKind.Words:
                _wordsHeard = words.Text;
                return HaltHeard ? Finish(Phase.Confirmed, BargeInAction.Confirm, now, words.Text) : null;
            case WordsKind.Echo:
                _echoHeardIn = _pendingTurn;
                return Finish(Phase.Idle, BargeInAction.Dismiss, now);
            case WordsKind.Backchannel:
                return Finish(Phase.Idle, BargeInAction.Dismiss, now);
            default:
                return null;
        }
    }

    private BargeInDecision? Finish(Phase next, BargeInAction action, TimeSpan at, string? words = null)
    {
        // Confirmed waits for the segment's end; words can confirm after it.
        _phase = next == Phase.Confirmed && _segmentEnded ? Phase.Idle : next;
        // An onset that only listened has nothing to resume.
        if (action == BargeInAction.Dismiss && !_paused) return null;
        return Decide(action, at) with { Words = words };
    }

    /// <summary>Too long without confirmation: speech that never added up within
    /// <c>resumeAfter</c> of the onset, or, waiting for the halt, none heard within
    /// <c>resumeAfter</c> after it.</summary>
    private bool Unconfirmed(TimeSpan now) => _sustainedAt is null
        ? now - _onset >= resumeAfter
        : _haltedFrom is { } halted && now - halted >= resumeAfter;

    private BargeInDecision Decide(BargeInAction action, TimeSpan at) => new(action, _pendingTurn, _onset, at);
}

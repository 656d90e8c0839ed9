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
}

/// <summary>A barge-in decision. <paramref name="Onset"/> is when the speech began and
/// <paramref name="At"/> when the decision was taken, both on the capture clock.</summary>
public readonly record struct BargeInDecision(BargeInAction Action, TurnId Turn, TimeSpan Onset, TimeSpan At);

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

    /// <summary>The turn the agent is speaking (None when silent).</summary>
    public TurnId SpeakingTurn => _turn.Speaking;

    public bool IsPending => _phase == Phase.Pending;

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
        return new BargeInDecision(BargeInAction.Dismiss, _pendingTurn, _onset, now);
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
                _heardAfterHalt = false;
                return Decide(BargeInAction.Pause, step.WindowEnd);

            case Phase.Pending:
                if (step.Speech && step.Probability >= confirmProbability)
                {
                    _speech += window;
                    if (_haltedFrom is { } halted && step.WindowStart >= halted) _heardAfterHalt = true;
                }
                if (_speech >= minSpeech) _sustainedAt ??= step.WindowEnd;
                if (_sustainedAt is { } sustained && (haltWait is not { } wait || _heardAfterHalt || step.WindowEnd - sustained >= wait))
                {
                    _phase = Phase.Confirmed;
                    return Decide(BargeInAction.Confirm, step.WindowEnd);
                }
                if (step.Offset || Unconfirmed(step.WindowEnd))
                {
                    _phase = Phase.Idle;
                    return Decide(BargeInAction.Dismiss, step.WindowEnd);
                }
                return null;

            case Phase.Confirmed when step.Offset:
                _phase = Phase.Idle;
                return null;

            default:
                return null;
        }
    }

    /// <summary>Too long without confirmation: speech that never added up within
    /// <c>resumeAfter</c> of the onset, or, waiting for the halt, none heard within
    /// <c>resumeAfter</c> after it.</summary>
    private bool Unconfirmed(TimeSpan now) => _sustainedAt is null
        ? now - _onset >= resumeAfter
        : _haltedFrom is { } halted && now - halted >= resumeAfter;

    private BargeInDecision Decide(BargeInAction action, TimeSpan at) => new(action, _pendingTurn, _onset, at);
}

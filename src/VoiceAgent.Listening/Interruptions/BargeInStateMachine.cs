using VoiceAgent.Listening.Vad;
using VoiceAgent.Protocol;

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
/// </summary>
public sealed class BargeInStateMachine(TimeSpan minSpeech, TimeSpan resumeAfter, bool enabled = true, float confirmProbability = 0f)
{
    private enum Phase { Idle, Pending, Confirmed }

    private Phase _phase = Phase.Idle;
    private TurnId _speaking = TurnId.None;
    private TurnId _pendingTurn = TurnId.None;
    private TimeSpan _onset;
    private TimeSpan _speech;

    /// <summary>The turn the agent is speaking (None when silent).</summary>
    public TurnId SpeakingTurn => _speaking;

    public bool IsPending => _phase == Phase.Pending;

    /// <summary>The agent started speaking <paramref name="turn"/>.</summary>
    public void AgentSpeaking(TurnId turn)
    {
        _speaking = turn;
        if (_phase == Phase.Confirmed) _phase = Phase.Idle;
    }

    /// <summary>The agent's turn ended. A pending onset is dismissed (there is nothing left to pause).</summary>
    public BargeInDecision? AgentSilent(TurnId turn, TimeSpan now)
    {
        if (turn != _speaking) return null;
        _speaking = TurnId.None;
        if (_phase != Phase.Pending)
        {
            _phase = Phase.Idle;
            return null;
        }
        _phase = Phase.Idle;
        return new BargeInDecision(BargeInAction.Dismiss, _pendingTurn, _onset, now);
    }

    /// <summary>Feeds one VAD window; returns the decision it leads to, if any.</summary>
    public BargeInDecision? Observe(SegmentStep step)
    {
        if (!enabled) return null;
        var window = step.WindowEnd - step.WindowStart;
        switch (_phase)
        {
            case Phase.Idle when step.Onset && !_speaking.IsNone:
                _phase = Phase.Pending;
                _pendingTurn = _speaking;
                _onset = step.SegmentStart;
                _speech = window;
                return Decide(BargeInAction.Pause, step.WindowEnd);

            case Phase.Pending:
                if (step.Speech && step.Probability >= confirmProbability) _speech += window;
                if (_speech >= minSpeech)
                {
                    _phase = Phase.Confirmed;
                    return Decide(BargeInAction.Confirm, step.WindowEnd);
                }
                if (step.Offset || step.WindowEnd - _onset >= resumeAfter)
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

    private BargeInDecision Decide(BargeInAction action, TimeSpan at) => new(action, _pendingTurn, _onset, at);
}

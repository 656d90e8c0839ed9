using VoiceAgent.Core.Protocol;
using Effects = System.Collections.Generic.IReadOnlyList<VoiceAgent.Conversation.TurnEffect>;

namespace VoiceAgent.Conversation;

/// <summary>Preemptive replies: a draft started on the user's pause is adopted when the turn ends
/// with the same words, and discarded unspoken otherwise.</summary>
internal sealed partial class TurnCoordinator
{
    /// <summary>The user paused: draft a reply to what they said so far, unless a turn runs.</summary>
    public Effects OnPreliminary(TranscriptPreliminary preliminary)
    {
        if (!preemptiveReplies) return [];
        if (_turn is not null || _pending.Count > 0)
        {
            _waitingPreliminary = preliminary;
            return [];
        }
        if (_draft is not null && _draft.Answers(preliminary.Text)) return [];
        var effects = _draft is null ? [] : DiscardDraft();
        StartDraft(effects, preliminary.Text);
        return effects;
    }

    /// <summary>The user went on: a draft of what they had said so far is stale.</summary>
    public Effects OnUserTurnContinued()
    {
        _waitingPreliminary = null;
        return _draft is null ? [] : DiscardDraft();
    }

    private void StartDraft(List<TurnEffect> effects, string userText)
    {
        _lastTurn = _lastTurn.Next();
        _draft = new PreemptiveDraft(_lastTurn, userText, Now);
        effects.Add(new TurnEffect.StreamDraft(_lastTurn, userText));
    }

    /// <summary>The draft becomes the turn: started as usual, then what it already said, its
    /// waiting tool calls and its end, in the order they came. Latency still counts from the speech end.</summary>
    private List<TurnEffect> AdoptDraft(TranscriptFinal transcript)
    {
        var draft = _draft!;
        _draft = null;
        var turn = _turn = new ActiveTurn(draft.Id, new TurnLatencyMeter(draft.Id, transcript.SpeechEndedAt, Now, modelReply: true));
        turn.Latency.ReplyRequested(draft.StartedAt);
        if (draft.FirstTextAt is { } firstText) turn.Latency.TextArrived(firstText);
        List<TurnEffect> effects =
        [
            new TurnEffect.AdoptDraft(draft.Id, draft.UserText),
            new TurnEffect.Announce(new AgentTurnStarted(draft.Id, transcript.Text, responderName, Now)),
            new TurnEffect.Publish(new PreemptiveReply(PreemptiveOutcome.Used, Now - draft.StartedAt, Now)),
        ];
        if (draft.Text.Length > 0)
        {
            turn.Text.Append(draft.Text);
            effects.Add(new TurnEffect.Announce(new AgentText(draft.Id, draft.Text.ToString())));
        }
        foreach (var (call, finishIfInterrupted) in draft.HeldCalls) effects.AddRange(OnToolCallWanted(call, finishIfInterrupted));
        if (draft.Ended is { } ended) effects.AddRange(OnReplyEnded(ended));
        return effects;
    }

    /// <summary>Cancels the draft unspoken; its waiting tool calls never run.</summary>
    private List<TurnEffect> DiscardDraft()
    {
        var draft = _draft!;
        _draft = null;
        List<TurnEffect> effects = [new TurnEffect.StopReply(draft.Id), new TurnEffect.ReleaseReply(draft.Id)];
        effects.AddRange(draft.HeldCalls.Select(held => new TurnEffect.AnswerToolCall(held.Call.Call.CallId, null)));
        effects.Add(new TurnEffect.Publish(new PreemptiveReply(PreemptiveOutcome.Discarded, null, Now)));
        return effects;
    }
}

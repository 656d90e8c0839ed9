using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Conversation;

/// <summary>
/// What the <see cref="TurnCoordinator"/> decided should happen, for the ConversationActor to carry
/// out in the order given. The coordinator only decides; talking to other actors, the model and
/// the timers stays with the actor.
/// </summary>
internal abstract record TurnEffect
{
    private TurnEffect()
    {
    }

    /// <summary>Tell the TTS (which speaks it) and every observer.</summary>
    public sealed record Announce(ITurnEvent Event) : TurnEffect;

    /// <summary>Let observers know; the TTS has no part in it.</summary>
    public sealed record Publish(IPipelineEvent Event) : TurnEffect;

    /// <summary>Ask the model to answer <paramref name="UserText"/> and stream the reply back as
    /// <see cref="ReplyDelta"/> and <see cref="ReplyEnded"/> of <paramref name="Turn"/>.</summary>
    public sealed record StreamReply(TurnId Turn, string UserText) : TurnEffect;

    /// <summary>Ask the model to answer <paramref name="UserText"/> as a draft (history unchanged)
    /// and stream it back as <see cref="ReplyDelta"/> and <see cref="ReplyEnded"/> of <paramref name="Turn"/>.</summary>
    public sealed record StreamDraft(TurnId Turn, string UserText) : TurnEffect;

    /// <summary>The draft of <paramref name="Turn"/> is the reply: <paramref name="UserText"/> joins history.</summary>
    public sealed record AdoptDraft(TurnId Turn, string UserText) : TurnEffect;

    /// <summary>Publish the call and ask the tool's offering actor; its answer comes back as <see cref="ToolCallAnswered"/>.</summary>
    public sealed record RunToolCall(TurnId Turn, ToolCall Call) : TurnEffect;

    /// <summary>Answer the streaming task waiting for call <paramref name="CallId"/>: its output, or
    /// null when the call was refused.</summary>
    public sealed record AnswerToolCall(string CallId, ToolOutput? Output) : TurnEffect;

    /// <summary>Add the reply's tool calls and their outcomes to history (before its heard words).</summary>
    public sealed record RecordToolCalls(IReadOnlyList<ToolExchange> Exchanges) : TurnEffect;

    /// <summary>Feed <paramref name="Text"/> back through the mailbox as the whole reply of
    /// <paramref name="Turn"/>, so it queues behind whatever arrived first, like a model's reply.</summary>
    public sealed record SpeakGivenText(TurnId Turn, string Text) : TurnEffect;

    /// <summary>Stop streaming the model's reply: the user cut it off, or its draft was discarded.</summary>
    public sealed record StopReply(TurnId Turn) : TurnEffect;

    /// <summary>Send <see cref="StopReportOverdue"/> of <paramref name="Turn"/> after
    /// <see cref="ConversationActor.StopReportWait"/>.</summary>
    public sealed record WaitForStopReport(TurnId Turn) : TurnEffect;

    /// <summary>Publish a barge-in: TTS, playback and this conversation act on it when it arrives.</summary>
    public sealed record PublishBargeIn(BargeIn BargeIn) : TurnEffect;

    /// <summary>Keep a reply's failure in the log: the user already sees one line of it.</summary>
    public sealed record LogReplyFailure(string Error, Exception? Cause) : TurnEffect;

    /// <summary>The turn is over: what was held for streaming its reply can go.</summary>
    public sealed record ReleaseReply(TurnId Turn) : TurnEffect;

    /// <summary>Add what the user heard of a model's reply to history.</summary>
    public sealed record RecordReply(string HeardText, bool Interrupted) : TurnEffect;

    /// <summary>Add what the user heard of a given text (<see cref="Say"/>) to history.</summary>
    public sealed record RecordSaid(string HeardText) : TurnEffect;

    /// <summary>No turn is running and none is waiting.</summary>
    public sealed record BecameIdle : TurnEffect;
}

/// <summary>A piece of a turn's reply text, as the model streamed it.</summary>
internal sealed record ReplyDelta(TurnId Turn, string Delta);

/// <summary>A turn's reply text is complete; <paramref name="Error"/> is one line for the user when
/// the reply failed, <paramref name="Cause"/> the details for the log.</summary>
internal sealed record ReplyEnded(TurnId Turn, string? Error, Exception? Cause = null);

/// <summary>An interrupted turn waited long enough for playback to say exactly what was heard.</summary>
internal sealed record StopReportOverdue(TurnId Turn);

/// <summary>A reply's streaming task asks leave to run <paramref name="Call"/> of <paramref name="Turn"/>;
/// answered with <see cref="ToolCallAnswer"/>.</summary>
internal sealed record ToolCallWanted(TurnId Turn, ToolCall Call);

/// <summary>The call's output, or null when it was refused or cancelled (the reply is being cancelled).</summary>
internal sealed record ToolCallAnswer(ToolOutput? Output);

/// <summary>The offering actor answered a call (or did not in time: an error output).</summary>
internal sealed record ToolCallAnswered(TurnId Turn, string CallId, ToolOutput Output);

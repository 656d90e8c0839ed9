using Akka.Actor;
using VoiceAgent.Pipeline;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Conversation;

/// <summary>
/// The hooks of one turn's reply, used from its streaming task: a tool call is handed to the
/// ConversationActor, which runs it only while the turn may still act (not interrupted; a draft
/// once adopted) and answers with its output; a retry becomes a status line. Deciding in the actor,
/// which also handles the barge-in, is what makes a cancelled reply's call never run.
/// </summary>
internal sealed class TurnHooks(TurnId turn, IActorRef conversation, PipelineEvents links) : IReplyHooks
{
    public async Task<ToolOutput> CallToolAsync(ToolCall call, CancellationToken cancellationToken)
    {
        // No timeout: the actor always answers (the tool's own timeout bounds a call), and the
        // reply's cancellation ends the wait when the turn is cut off.
        var answer = await conversation.Ask<ToolCallAnswer>(new ToolCallWanted(turn, call), Timeout.InfiniteTimeSpan, cancellationToken);
        // Refused: the turn was interrupted or its draft discarded, and its reply is being cancelled.
        return answer.Output ?? throw new OperationCanceledException(cancellationToken.IsCancellationRequested ? cancellationToken : new CancellationToken(true));
    }

    public void Retrying(string notice) => links.Publish(new StatusNotice("conversation", notice, NoticeLevel.Warning));
}

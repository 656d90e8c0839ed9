using System.Collections.Immutable;
using System.Diagnostics;
using Akka.Actor;
using VoiceAgent.Pipeline;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Conversation;

/// <summary>
/// The hooks of one turn's reply, used from its streaming task: a tool call becomes a
/// <see cref="ToolCallRequested"/> asked of the actor that offered the tool, a retry becomes a
/// status line. Holds only immutable state (a snapshot of the offers), so it is safe off the actor.
/// </summary>
internal sealed class TurnHooks(TurnId turn, ImmutableDictionary<string, IActorRef> offerers, PipelineEvents links, TimeSpan timeout) : IReplyHooks
{
    public async Task<ToolOutput> CallToolAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var request = new ToolCallRequested(turn, call.CallId, call.Name, call.ArgumentsJson);
        links.Publish(request);
        var watch = Stopwatch.StartNew();
        ToolOutput output;
        if (!offerers.TryGetValue(call.Name, out var offerer))
        {
            output = new ToolOutput($"there is no tool named {call.Name}", IsError: true);
        }
        else
        {
            try
            {
                var result = await offerer.Ask<ToolResult>(request, timeout, cancellationToken);
                output = new ToolOutput(result.Result, result.IsError);
            }
            catch (AskTimeoutException)
            {
                output = new ToolOutput($"the tool {call.Name} did not answer within {timeout.TotalSeconds:0.#} s", IsError: true);
            }
        }
        links.Publish(new ToolCallCompleted(turn, call.CallId, call.Name, output.Result, output.IsError, watch.Elapsed));
        if (output.IsError)
            links.Publish(new StatusNotice("conversation", $"tool {call.Name} failed: {output.Result}", NoticeLevel.Warning));
        return output;
    }

    public void Retrying(string notice) => links.Publish(new StatusNotice("conversation", notice, NoticeLevel.Warning));
}

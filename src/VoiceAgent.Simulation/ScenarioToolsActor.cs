using Akka.Actor;
using Akka.Hosting;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Simulation;

/// <summary>
/// An extension actor for a scenario run: offers the conversation the scenario's tools and
/// answers each call with the tool's result after its delay (a slow lookup), so an
/// interruption can land while the call is under way. Started after the pipeline, like the
/// user's extensions.
/// </summary>
public sealed class ScenarioToolsActor : ReceiveActor
{
    private const string NoParameters = """{"type":"object","properties":{}}""";

    public ScenarioToolsActor(IReadOnlyList<ScenarioTool> tools)
    {
        var byName = tools.ToDictionary(t => t.Name, StringComparer.Ordinal);
        Receive<ConversationFound>(m =>
        {
            foreach (var tool in tools)
                m.Conversation.Tell(new OfferTool(tool.Name, tool.Description, NoParameters) { FinishIfInterrupted = tool.FinishIfInterrupted }, Self);
        });
        Receive<ToolOfferAccepted>(_ => { });
        Receive<ToolOfferRejected>(m => Context.System.EventStream.Publish(
            new StatusNotice("scenario", $"the conversation refused the tool {m.Name}: {m.Reason}", NoticeLevel.Warning)));
        Receive<ToolCallRequested>(m =>
        {
            var answer = byName.TryGetValue(m.Name, out var tool)
                ? new ToolResult(m.CallId, tool.Result)
                : new ToolResult(m.CallId, $"no tool named {m.Name}", IsError: true);
            var delay = TimeSpan.FromSeconds(tool?.Seconds ?? 0);
            Context.System.Scheduler.ScheduleTellOnce(delay, Sender, answer, Self);
        });
    }

    protected override void PreStart()
    {
        ActorRegistry.For(Context.System).GetAsync<ConversationActorKey>()
            .PipeTo(Self, success: actor => new ConversationFound(actor));
    }

    private sealed record ConversationFound(IActorRef Conversation);
}

using Akka.Actor;
using Akka.Event;
using Akka.Hosting;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Extensions.Tools;

/// <summary>
/// Extension: offers the model the <see cref="ClockTool"/> (function calling) and answers its calls.
/// Waits for the ConversationActor to be registered, so start-up order does not matter.
/// </summary>
public sealed class ClockToolActor : ReceiveActor
{
    private readonly ClockTool _tool;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public ClockToolActor(ExtensionContext context) : this(context, TimeProvider.System)
    {
    }

    public ClockToolActor(ExtensionContext context, TimeProvider clock)
    {
        var zone = ClockTool.ZoneFromSetting(context.Settings.GetString("time-zone", ""), $"voice-agent.extensions.{context.Name}.time-zone");
        _tool = new ClockTool(clock, zone);

        Receive<ConversationFound>(m =>
            m.Conversation.Tell(new OfferTool(ClockTool.Name, ClockTool.Description, ClockTool.ParametersSchema), Self));
        Receive<ToolOfferAccepted>(_ => { });
        Receive<ToolOfferRejected>(m => _log.Warning("The conversation refused the clock tool: {0}", m.Reason));
        Receive<ToolCallRequested>(m =>
        {
            var (result, isError) = _tool.Answer(m.ArgumentsJson);
            Sender.Tell(new ToolResult(m.CallId, result, isError));
        });
    }

    protected override void PreStart()
    {
        ActorRegistry.For(Context.System).GetAsync<ConversationActorKey>()
            .PipeTo(Self, success: actor => new ConversationFound(actor));
    }

    private sealed record ConversationFound(IActorRef Conversation);
}

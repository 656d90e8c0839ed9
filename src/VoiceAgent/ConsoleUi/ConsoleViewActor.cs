using Akka.Actor;
using VoiceAgent.Protocol;

namespace VoiceAgent.ConsoleUi;

/// <summary>Shows the conversation: observes every pipeline event and hands it to the renderer.</summary>
public sealed class ConsoleViewActor : ReceiveActor
{
    public ConsoleViewActor(ConversationRenderer renderer)
    {
        Receive<IPipelineEvent>(renderer.Render);
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);
}

using Akka.Actor;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.ConsoleUi;

/// <summary>Shows the conversation: observes every pipeline event (and the microphone's level)
/// and hands it to the renderer.</summary>
public sealed class ConsoleViewActor : ReceiveActor
{
    private readonly ConversationRenderer _renderer;

    public ConsoleViewActor(ConversationRenderer renderer)
    {
        _renderer = renderer;
        Receive<IPipelineEvent>(renderer.Render);
        Receive<MicrophoneLevel>(renderer.Render);
    }

    protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(MicrophoneLevel));

    protected override void PostStop()
    {
        Context.System.EventStream.Unsubscribe(Self);
        _renderer.Close(); // shutdown mid-reply: finish the line, so what follows starts clean
    }
}

using Akka.Actor;
using Akka.Hosting;
using VoiceAgent.Extensions;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Tests;

/// <summary>A small extension used by the tests, written as the README tells users to: when the
/// user types "ping", it makes the assistant say its configured reply.</summary>
public sealed class EchoExtension : ReceiveActor
{
    public EchoExtension(ExtensionContext context)
    {
        // Extensions start after the pipeline: the conversation is registered by now.
        var conversation = ActorRegistry.For(Context.System).Get<ConversationActorKey>();
        var reply = context.Settings.GetString("reply", "pong");
        Receive<TranscriptFinal>(t =>
        {
            if (t.Text.Equals("ping", StringComparison.OrdinalIgnoreCase))
                conversation.Tell(new Say(reply), Self);
        });
    }

    protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(TranscriptFinal));
}

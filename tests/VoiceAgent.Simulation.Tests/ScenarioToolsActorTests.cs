using System.Threading.Channels;
using Akka.Actor;
using Akka.Hosting;
using VoiceAgent.Core.Protocol;
using VoiceAgent.Simulation;

namespace VoiceAgent.Simulation.Tests;

/// <summary>The scenario's tools actor offers its tools to the conversation and answers each call
/// with the tool's result.</summary>
public sealed class ScenarioToolsActorTests : IAsyncDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("tools-test", "akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING");
    private readonly Channel<(object Message, IActorRef Sender)> _received = Channel.CreateUnbounded<(object, IActorRef)>();

    public async ValueTask DisposeAsync() => await _system.Terminate();

    /// <summary>Stands in for the conversation: every message it gets goes to the channel.</summary>
    private sealed class Conversation : ReceiveActor
    {
        public Conversation(ChannelWriter<(object, IActorRef)> received) => ReceiveAny(m => received.TryWrite((m, Sender)));
    }

    private async Task<(T Message, IActorRef Sender)> Next<T>()
    {
        var (message, sender) = await _received.Reader.ReadAsync(TestContext.Current.CancellationToken);
        return (Assert.IsType<T>(message), sender);
    }

    [Fact]
    public async Task It_offers_each_tool_and_answers_a_call_with_its_result()
    {
        var conversation = _system.ActorOf(Props.Create(() => new Conversation(_received.Writer)));
        ActorRegistry.For(_system).Register<ConversationActorKey>(conversation);
        ScenarioTool[] tools =
        [
            new() { Name = "slow_lookup", Description = "Looks it up.", Seconds = 0, Result = "ships tomorrow", FinishIfInterrupted = true },
            new() { Name = "other", Description = "Another.", Result = "x" },
        ];
        _system.ActorOf(Props.Create(() => new ScenarioToolsActor(tools)));

        var (offer, toolsActor) = await Next<OfferTool>();
        Assert.Equal(("slow_lookup", true), (offer.Name, offer.FinishIfInterrupted));
        Assert.Contains("\"object\"", offer.ParametersSchema);
        Assert.Equal("other", (await Next<OfferTool>()).Message.Name);

        toolsActor.Tell(new ToolCallRequested(new TurnId(1), "call-1", "slow_lookup", "{}"), conversation);
        Assert.Equal(new ToolResult("call-1", "ships tomorrow"), (await Next<ToolResult>()).Message);

        toolsActor.Tell(new ToolCallRequested(new TurnId(1), "call-2", "missing", "{}"), conversation);
        var error = (await Next<ToolResult>()).Message;
        Assert.True(error.IsError);
        Assert.Equal("call-2", error.CallId);
    }
}

using Akka.Actor;
using Akka.Hosting;
using Akka.TestKit;
using Microsoft.Extensions.AI;
using VoiceAgent.Core.Protocol;
using VoiceAgent.Pipeline;

namespace VoiceAgent.Conversation.Tests;

/// <summary>Preemptive replies and tool calls around interruptions, through the ConversationActor
/// with the offline responder and probes standing in for the TTS and a tool's actor.</summary>
public class ConversationActorTurnTakingTests(ITestOutputHelper output) : Akka.Hosting.TestKit.TestKit(output: output)
{
    private const string NoArguments = """{"type":"object","properties":{}}""";

    private TestProbe _tts = null!;
    private TestProbe _events = null!;
    private TestProbe _tool = null!;
    private ConversationEngine _engine = null!;
    private IActorRef _conversation = null!;

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider)
    {
    }

    protected override async Task BeforeTestStart()
    {
        await base.BeforeTestStart();
        _tts = CreateTestProbe();
        _events = CreateTestProbe();
        _tool = CreateTestProbe();
        Sys.SubscribeAsTts(_tts.Ref);
        foreach (var fact in new[] { typeof(AgentTurnEnded), typeof(PreemptiveReply), typeof(ToolCallCompleted) })
            Sys.EventStream.Subscribe(_events.Ref, fact);
        _engine = new ConversationEngine(new OfflineResponder(TimeSpan.FromMilliseconds(15)), new ConversationSettings(), OfflineResponder.Name);
        var engine = _engine;
        _conversation = Sys.ActorOf(Props.Create(() => new ConversationActor(engine, null, TimeSpan.FromSeconds(10), null, true, true)));
        Sys.EventStream.Subscribe(_conversation, ConversationActor.Facts);
    }

    private static TranscriptFinal Spoken(string text) => new(text, InputSource.Voice, DateTimeOffset.UtcNow);

    private void OfferLookup(bool finishIfInterrupted = false)
    {
        _conversation.Tell(new OfferTool("lookup", "Looks things up.", NoArguments) { FinishIfInterrupted = finishIfInterrupted }, _tool.Ref);
        _tool.ExpectMsg<ToolOfferAccepted>();
    }

    /// <summary>What the TTS receives of one turn until its text is complete.</summary>
    private string ReceiveReply(TurnId turn)
    {
        var text = "";
        while (true)
        {
            var message = _tts.ExpectMsg<ITurnEvent>(TimeSpan.FromSeconds(10));
            Assert.Equal(turn, message.Turn);
            if (message is AgentText piece) text += piece.Delta;
            if (message is AgentTextCompleted completed) return completed.FullText == text ? text : throw new InvalidOperationException("text mismatch");
        }
    }

    private void Finish(TurnId turn, string heard) =>
        Sys.EventStream.Publish(new PlaybackFinished(turn, TimeSpan.Zero, heard, DateTimeOffset.UtcNow));

    [Fact]
    public void A_draft_is_held_unspoken_and_the_same_final_words_speak_it()
    {
        Sys.EventStream.Publish(new TranscriptPreliminary("hello", DateTimeOffset.UtcNow));
        // The draft streams (the whole reply takes a few hundred ms) but nothing reaches the TTS.
        _tts.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Empty(_engine.History);

        Sys.EventStream.Publish(Spoken("Hello."));

        var started = _tts.ExpectMsg<AgentTurnStarted>();
        Assert.Equal("Hello.", started.UserText);
        Assert.Equal(OfflineResponder.ReplyTo("hello"), ReceiveReply(started.Turn));
        var used = _events.ExpectMsg<PreemptiveReply>();
        Assert.Equal(PreemptiveOutcome.Used, used.Outcome);
        // At least the wait above (timers may fire a little early).
        Assert.True(used.Saved >= TimeSpan.FromMilliseconds(250), $"saved {used.Saved}");
        Finish(started.Turn, "…");
        _events.ExpectMsg<AgentTurnEnded>();
        Assert.Equal([(ChatRole.User, "hello"), (ChatRole.Assistant, OfflineResponder.ReplyTo("hello"))], _engine.History.Select(m => (m.Role, m.Text)));
    }

    [Fact]
    public void When_the_user_goes_on_the_draft_is_discarded_and_the_final_gets_a_fresh_reply()
    {
        Sys.EventStream.Publish(new TranscriptPreliminary("my cat", DateTimeOffset.UtcNow));
        Sys.EventStream.Publish(new UserTurnContinued(DateTimeOffset.UtcNow));
        Assert.Equal(new PreemptiveReply(PreemptiveOutcome.Discarded, null, default), _events.ExpectMsg<PreemptiveReply>() with { At = default });
        _tts.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        Sys.EventStream.Publish(Spoken("my cat is orange"));

        var started = _tts.ExpectMsg<AgentTurnStarted>();
        Assert.StartsWith("You said: my cat is orange.", ReceiveReply(started.Turn));
        Assert.Equal("my cat is orange", Assert.Single(_engine.History).Text);
    }

    [Fact]
    public void A_tool_call_runs_with_the_actors_leave_and_history_keeps_the_call_and_its_result()
    {
        OfferLookup();
        _conversation.Tell(Spoken("please lookup the answer"));
        var turn = _tts.ExpectMsg<AgentTurnStarted>().Turn;

        var request = _tool.ExpectMsg<ToolCallRequested>(TimeSpan.FromSeconds(5));
        Assert.Equal((turn, "lookup"), (request.Turn, request.Name));
        _tool.Reply(new ToolResult(request.CallId, "forty-two"));

        var reply = ReceiveReply(turn);
        Assert.Equal("Let me check that. The lookup tool says: forty-two.", reply);
        Assert.False(_events.ExpectMsg<ToolCallCompleted>().IsError);
        Finish(turn, reply);
        _events.ExpectMsg<AgentTurnEnded>();
        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.Tool, ChatRole.Assistant], _engine.History.Select(m => m.Role));
        Assert.Equal(reply, _engine.History[^1].Text);
    }

    [Fact]
    public void An_interruption_cancels_a_running_call_which_history_keeps_as_cancelled()
    {
        OfferLookup();
        _conversation.Tell(Spoken("lookup something"));
        var turn = _tts.ExpectMsg<AgentTurnStarted>().Turn;
        var request = _tool.ExpectMsg<ToolCallRequested>(TimeSpan.FromSeconds(5));

        _conversation.Tell(new BargeIn(turn, InputSource.Voice, DateTimeOffset.UtcNow));

        var cancelled = _events.ExpectMsg<ToolCallCompleted>();
        Assert.True(cancelled.Cancelled);
        _tool.Reply(new ToolResult(request.CallId, "too late"));
        _conversation.Tell(new PlaybackStopped(turn, TimeSpan.Zero, "Let me check that.", DateTimeOffset.UtcNow));
        Assert.Equal(TurnOutcome.Interrupted, _events.ExpectMsg<AgentTurnEnded>().Outcome);
        _events.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.Tool, ChatRole.Assistant], _engine.History.Select(m => m.Role));
        Assert.Equal(ToolExchange.CancelledResult, _engine.History[2].Contents.OfType<FunctionResultContent>().Single().Result);
    }

    [Fact]
    public void A_call_that_finishes_if_interrupted_is_committed_before_the_interrupting_turn()
    {
        OfferLookup(finishIfInterrupted: true);
        _conversation.Tell(Spoken("lookup the booking"));
        var turn = _tts.ExpectMsg<AgentTurnStarted>().Turn;
        var request = _tool.ExpectMsg<ToolCallRequested>(TimeSpan.FromSeconds(5));

        _conversation.Tell(new BargeIn(turn, InputSource.Voice, DateTimeOffset.UtcNow));
        _conversation.Tell(Spoken("never mind"));
        _conversation.Tell(new PlaybackStopped(turn, TimeSpan.Zero, "Let me", DateTimeOffset.UtcNow));
        // The turn waits for the call, past the stop report's wait too.
        _events.ExpectNoMsg(ConversationActor.StopReportWait + TimeSpan.FromMilliseconds(100));

        _tool.Reply(new ToolResult(request.CallId, "booked"));

        Assert.False(_events.ExpectMsg<ToolCallCompleted>().Cancelled);
        Assert.Equal(TurnOutcome.Interrupted, _events.ExpectMsg<AgentTurnEnded>().Outcome);
        var next = _tts.FishForMessage<AgentTurnStarted>(m => m.Turn != turn);
        Assert.Equal("never mind", next.UserText);
        Assert.Equal(["lookup the booking", "", "booked", "Let me …", "never mind"],
            _engine.History.Select(m => m.Contents.OfType<FunctionResultContent>().SingleOrDefault()?.Result?.ToString() ?? m.Text));
    }

    [Fact]
    public void A_drafts_tool_call_waits_for_the_draft_to_be_adopted()
    {
        OfferLookup();
        Sys.EventStream.Publish(new TranscriptPreliminary("lookup", DateTimeOffset.UtcNow));
        _tool.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        Sys.EventStream.Publish(Spoken("lookup"));

        var turn = _tts.ExpectMsg<AgentTurnStarted>().Turn;
        Assert.Equal(turn, _tool.ExpectMsg<ToolCallRequested>(TimeSpan.FromSeconds(5)).Turn);
    }

    [Fact]
    public void A_discarded_drafts_tool_call_never_runs()
    {
        OfferLookup();
        Sys.EventStream.Publish(new TranscriptPreliminary("lookup", DateTimeOffset.UtcNow));
        Thread.Sleep(200); // the draft says its lead-in and asks for the call

        Sys.EventStream.Publish(new UserTurnContinued(DateTimeOffset.UtcNow));

        Assert.Equal(PreemptiveOutcome.Discarded, _events.ExpectMsg<PreemptiveReply>().Outcome);
        _tool.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Empty(_engine.History);
    }
}

using Akka.Actor;
using Akka.Hosting;
using Akka.TestKit;
using VoiceAgent.Conversation;
using VoiceAgent.Pipeline;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Conversation.Tests;

public class ConversationActorTests(ITestOutputHelper output) : Akka.Hosting.TestKit.TestKit(output: output)
{
    private TestProbe _tts = null!;
    private TestProbe _playback = null!;
    private TestProbe _events = null!;
    private IActorRef _conversation = null!;

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider)
    {
    }

    protected override async Task BeforeTestStart()
    {
        await base.BeforeTestStart();
        _tts = CreateTestProbe();
        _playback = CreateTestProbe();
        _events = CreateTestProbe();
        var registry = ActorRegistry;
        Sys.SubscribeAsTts(_tts.Ref);
        Sys.EventStream.Subscribe(_playback.Ref, typeof(BargeIn));
        Sys.EventStream.Subscribe(_events.Ref, typeof(AgentTurnEnded));
        var engine = new ConversationEngine(new OfflineResponder(TimeSpan.FromMilliseconds(15)), new ConversationSettings(), OfflineResponder.Name);
        _conversation = Sys.ActorOf(Props.Create(() => new ConversationActor(engine, null)));
        registry.Register<ConversationActorKey>(_conversation);
        // Now, as the composition root does, not when the actor gets to PreStart: the tests publish at once.
        Sys.EventStream.Subscribe(_conversation, ConversationActor.Facts);
    }

    private static TranscriptFinal Typed(string text) => new(text, InputSource.Keyboard, DateTimeOffset.UtcNow);

    /// <summary>Collects what the TTS receives for one turn until the reply text is complete.</summary>
    private string ReceiveReply(TurnId turn)
    {
        var text = "";
        while (true)
        {
            var message = _tts.ExpectMsg<ITurnEvent>(TimeSpan.FromSeconds(10));
            Assert.Equal(turn, message.Turn);
            if (message is AgentText piece) text += piece.Delta;
            if (message is AgentTextCompleted completed)
            {
                Assert.Equal(text, completed.FullText);
                return text;
            }
        }
    }

    [Fact]
    public void A_turn_streams_to_the_tts_and_ends_when_playback_finishes()
    {
        _conversation.Tell(Typed("hello"));
        var started = _tts.ExpectMsg<AgentTurnStarted>();
        Assert.Equal(OfflineResponder.Name, started.Responder);
        var reply = ReceiveReply(started.Turn);
        Assert.Equal(OfflineResponder.ReplyTo("hello"), reply);

        Sys.EventStream.Publish(new PlaybackFinished(started.Turn, TimeSpan.FromSeconds(3), reply, DateTimeOffset.UtcNow));

        var ended = _events.ExpectMsg<AgentTurnEnded>();
        Assert.Equal((started.Turn, TurnOutcome.Completed, reply), (ended.Turn, ended.Outcome, ended.HeardText));
    }

    [Fact]
    public void A_barge_in_ends_the_turn_with_what_was_heard_and_drops_the_rest()
    {
        _conversation.Tell(Typed("tell me a story"));
        var turn = _tts.ExpectMsg<AgentTurnStarted>().Turn;
        _tts.ExpectMsg<AgentText>();
        // Told directly (not published) so it is ordered before the barge-in from the same sender.
        _conversation.Tell(new PlaybackProgress(turn, TimeSpan.FromSeconds(1), "Here is a long story,"));

        _conversation.Tell(new BargeIn(turn, InputSource.Voice, DateTimeOffset.UtcNow));

        var ended = _events.ExpectMsg<AgentTurnEnded>();
        Assert.Equal(TurnOutcome.Interrupted, ended.Outcome);
        Assert.Equal("Here is a long story,", ended.HeardText);

        // Nothing more of the interrupted turn reaches the TTS.
        _tts.ReceiveWhile(TimeSpan.FromMilliseconds(300), m => m);
        _tts.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        _conversation.Tell(Typed("hello"));
        var next = _tts.FishForMessage<AgentTurnStarted>(_ => true);
        Assert.True(next.Turn.CompareTo(turn) > 0);
    }

    [Fact]
    public void After_a_barge_in_history_takes_playbacks_exact_account_of_what_was_heard()
    {
        _conversation.Tell(Typed("tell me a story"));
        var turn = _tts.ExpectMsg<AgentTurnStarted>().Turn;
        _tts.ExpectMsg<AgentText>();
        _conversation.Tell(new PlaybackProgress(turn, TimeSpan.FromSeconds(1), ""));
        _conversation.Tell(new BargeIn(turn, InputSource.Keyboard, DateTimeOffset.UtcNow));
        _conversation.Tell(Typed("stop"));
        // Playback's stop report includes the part of the sentence that was playing.
        _conversation.Tell(new PlaybackStopped(turn, TimeSpan.FromSeconds(2), "Here is a long story, so you", DateTimeOffset.UtcNow));

        var ended = _events.ExpectMsg<AgentTurnEnded>();
        Assert.Equal((TurnOutcome.Interrupted, "Here is a long story, so you"), (ended.Outcome, ended.HeardText));

        // The input typed during the interruption starts the next turn, after the history is settled.
        var next = _tts.FishForMessage<AgentTurnStarted>(_ => true);
        Assert.Equal(("stop", turn.Next()), (next.UserText, next.Turn));
    }

    [Fact]
    public void Input_during_a_turn_waits_for_it_to_end()
    {
        _conversation.Tell(Typed("hello"));
        var first = _tts.ExpectMsg<AgentTurnStarted>().Turn;
        // Spoken, not typed: a typed line during a turn interrupts it.
        _conversation.Tell(new TranscriptFinal("second", InputSource.Voice, DateTimeOffset.UtcNow));
        var reply = ReceiveReply(first);
        _tts.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        Sys.EventStream.Publish(new PlaybackFinished(first, TimeSpan.Zero, reply, DateTimeOffset.UtcNow));

        var second = _tts.ExpectMsg<AgentTurnStarted>();
        Assert.Equal("second", second.UserText);
        Assert.Equal(first.Next(), second.Turn);
    }

    [Fact]
    public void Interrupt_broadcasts_a_barge_in_of_the_current_turn()
    {
        _conversation.Tell(Typed("tell me a story"));
        var turn = _tts.ExpectMsg<AgentTurnStarted>().Turn;

        _conversation.Tell(new Interrupt("test"));

        var bargeIn = _playback.ExpectMsg<BargeIn>();
        Assert.Equal((turn, InputSource.Command), (bargeIn.Turn, bargeIn.Source));
        _tts.FishForMessage<BargeIn>(m => m.Turn == turn);
        Assert.Equal(TurnOutcome.Interrupted, _events.ExpectMsg<AgentTurnEnded>().Outcome);
    }

    [Fact]
    public void A_typed_line_and_the_console_commands_after_it_are_handled_in_the_order_they_were_typed()
    {
        // As the console does: the typed line is published, the commands are told.
        Sys.EventStream.Publish(Typed("first"));
        _conversation.Tell(new Say("second"));
        _conversation.Tell(new NotifyWhenIdle(), TestActor);

        var first = _tts.ExpectMsg<AgentTurnStarted>();
        Assert.Equal(("first", OfflineResponder.Name), (first.UserText, first.Responder));
        Sys.EventStream.Publish(new PlaybackFinished(first.Turn, TimeSpan.Zero, ReceiveReply(first.Turn), DateTimeOffset.UtcNow));
        var second = _tts.ExpectMsg<AgentTurnStarted>();
        Assert.Equal("say", second.Responder);
        Assert.Equal("second", ReceiveReply(second.Turn));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Sys.EventStream.Publish(new PlaybackFinished(second.Turn, TimeSpan.Zero, "second", DateTimeOffset.UtcNow));
        ExpectMsg<ConversationIdle>();
    }

    [Fact]
    public void Typing_while_the_agent_speaks_publishes_a_keyboard_barge_in_then_answers_the_line()
    {
        Sys.EventStream.Publish(Typed("tell me a story"));
        var turn = _tts.ExpectMsg<AgentTurnStarted>().Turn;

        Sys.EventStream.Publish(Typed("stop"));

        var bargeIn = _playback.ExpectMsg<BargeIn>();
        Assert.Equal((turn, InputSource.Keyboard), (bargeIn.Turn, bargeIn.Source));
        Assert.Equal(TurnOutcome.Interrupted, _events.ExpectMsg<AgentTurnEnded>().Outcome);
        Assert.Equal("stop", _tts.FishForMessage<AgentTurnStarted>(_ => true).UserText);
    }

    [Fact]
    public void Say_speaks_the_given_text_as_a_turn()
    {
        _conversation.Tell(new Say("Dinner is ready."));
        var started = _tts.ExpectMsg<AgentTurnStarted>();
        Assert.Equal("say", started.Responder);
        Assert.Equal("Dinner is ready.", ReceiveReply(started.Turn));
    }

    [Fact]
    public void NotifyWhenIdle_answers_once_the_turn_is_over()
    {
        _conversation.Tell(new NotifyWhenIdle(), TestActor);
        ExpectMsg<ConversationIdle>();

        _conversation.Tell(Typed("hello"));
        var turn = _tts.ExpectMsg<AgentTurnStarted>().Turn;
        _conversation.Tell(new NotifyWhenIdle(), TestActor);
        var reply = ReceiveReply(turn);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        Sys.EventStream.Publish(new PlaybackFinished(turn, TimeSpan.Zero, reply, DateTimeOffset.UtcNow));
        ExpectMsg<ConversationIdle>();
    }
}

using Akka.Actor;
using Akka.Hosting;
using Akka.TestKit;
using VoiceAgent.Listening;
using VoiceAgent.Protocol;

namespace VoiceAgent.Listening.Tests;

public class RecognizerActorTests(ITestOutputHelper output) : PipelineProbesTestKit(output)
{
    private IActorRef Recognizer(bool bargeIn = true) =>
        Sys.ActorOf(Props.Create(() => new RecognizerActor(new ListeningSettings { BargeInEnabled = bargeIn }, null, null)));

    [Fact]
    public void Without_a_recognizer_it_announces_text_mode()
    {
        var ready = CreateTestProbe();
        Sys.EventStream.Subscribe(ready.Ref, typeof(RecognizerReady));
        Recognizer();
        var announced = ready.ExpectMsg<RecognizerReady>();
        Assert.False(announced.VoiceInput);
        Assert.Contains("text mode", announced.Description);
    }

    [Fact]
    public void A_typed_line_while_idle_is_a_transcript_and_no_barge_in()
    {
        var recognizer = Recognizer();
        recognizer.Tell(new TypedLine("  hello  "));
        var transcript = ConversationProbe.ExpectMsg<TranscriptFinal>();
        Assert.Equal(("hello", InputSource.Keyboard), (transcript.Text, transcript.Source));
        TtsProbe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Typing_while_the_agent_speaks_barges_in_before_the_transcript()
    {
        var recognizer = Recognizer();
        var turn = new TurnId(7);
        recognizer.Tell(new AgentTurnStarted(turn, "hi", "test", DateTimeOffset.UtcNow));
        recognizer.Tell(new TypedLine("stop"));

        Assert.Equal(turn, TtsProbe.ExpectMsg<BargeIn>().Turn);
        Assert.Equal(turn, PlaybackProbe.ExpectMsg<BargeIn>().Turn);
        var bargeIn = ConversationProbe.ExpectMsg<BargeIn>();
        Assert.Equal((turn, InputSource.Keyboard), (bargeIn.Turn, bargeIn.Source));
        Assert.Equal("stop", ConversationProbe.ExpectMsg<TranscriptFinal>().Text);
    }

    [Fact]
    public void Console_commands_reach_theConversationProbe_in_the_order_they_were_typed()
    {
        var recognizer = Recognizer();
        recognizer.Tell(new TypedLine("first"));
        recognizer.Tell(new Say("second"));
        recognizer.Tell(new Interrupt("third"));
        recognizer.Tell(new NotifyWhenIdle());

        Assert.Equal("first", ConversationProbe.ExpectMsg<TranscriptFinal>().Text);
        Assert.Equal("second", ConversationProbe.ExpectMsg<Say>().Text);
        Assert.Equal("third", ConversationProbe.ExpectMsg<Interrupt>().Reason);
        ConversationProbe.ExpectMsg<NotifyWhenIdle>();
    }

    [Fact]
    public void After_the_turn_ends_typing_no_longer_interrupts()
    {
        var recognizer = Recognizer();
        var turn = new TurnId(3);
        recognizer.Tell(new AgentTurnStarted(turn, "hi", "test", DateTimeOffset.UtcNow));
        recognizer.Tell(new AgentTurnEnded(turn, TurnOutcome.Completed, "done"));
        recognizer.Tell(new TypedLine("next"));
        Assert.Equal("next", ConversationProbe.ExpectMsg<TranscriptFinal>().Text);
        TtsProbe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void With_barge_in_disabled_typing_waits_instead_of_interrupting()
    {
        var recognizer = Recognizer(bargeIn: false);
        recognizer.Tell(new AgentTurnStarted(new TurnId(1), "hi", "test", DateTimeOffset.UtcNow));
        recognizer.Tell(new TypedLine("later"));
        Assert.Equal("later", ConversationProbe.ExpectMsg<TranscriptFinal>().Text);
        TtsProbe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }
}

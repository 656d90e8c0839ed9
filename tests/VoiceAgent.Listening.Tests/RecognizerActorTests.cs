using Akka.Actor;
using Akka.Hosting;
using Akka.TestKit;
using VoiceAgent.Listening;
using VoiceAgent.Protocol;

namespace VoiceAgent.Listening.Tests;

public class RecognizerActorTests(ITestOutputHelper output) : Akka.Hosting.TestKit.TestKit(output: output)
{
    private TestProbe _conversation = null!;
    private TestProbe _tts = null!;
    private TestProbe _playback = null!;

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider)
    {
    }

    protected override async Task BeforeTestStart()
    {
        await base.BeforeTestStart();
        _conversation = CreateTestProbe();
        _tts = CreateTestProbe();
        _playback = CreateTestProbe();
        var registry = ActorRegistry;
        registry.Register<ConversationActorKey>(_conversation.Ref);
        registry.Register<TtsActorKey>(_tts.Ref);
        registry.Register<PlaybackActorKey>(_playback.Ref);
    }

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
        var transcript = _conversation.ExpectMsg<TranscriptFinal>();
        Assert.Equal(("hello", InputSource.Keyboard), (transcript.Text, transcript.Source));
        _tts.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Typing_while_the_agent_speaks_barges_in_before_the_transcript()
    {
        var recognizer = Recognizer();
        var turn = new TurnId(7);
        recognizer.Tell(new AgentTurnStarted(turn, "hi", "test", DateTimeOffset.UtcNow));
        recognizer.Tell(new TypedLine("stop"));

        Assert.Equal(turn, _tts.ExpectMsg<BargeIn>().Turn);
        Assert.Equal(turn, _playback.ExpectMsg<BargeIn>().Turn);
        var bargeIn = _conversation.ExpectMsg<BargeIn>();
        Assert.Equal((turn, InputSource.Keyboard), (bargeIn.Turn, bargeIn.Source));
        Assert.Equal("stop", _conversation.ExpectMsg<TranscriptFinal>().Text);
    }

    [Fact]
    public void Console_commands_reach_the_conversation_in_the_order_they_were_typed()
    {
        var recognizer = Recognizer();
        recognizer.Tell(new TypedLine("first"));
        recognizer.Tell(new Say("second"));
        recognizer.Tell(new Interrupt("third"));
        recognizer.Tell(new NotifyWhenIdle());

        Assert.Equal("first", _conversation.ExpectMsg<TranscriptFinal>().Text);
        Assert.Equal("second", _conversation.ExpectMsg<Say>().Text);
        Assert.Equal("third", _conversation.ExpectMsg<Interrupt>().Reason);
        _conversation.ExpectMsg<NotifyWhenIdle>();
    }

    [Fact]
    public void After_the_turn_ends_typing_no_longer_interrupts()
    {
        var recognizer = Recognizer();
        var turn = new TurnId(3);
        recognizer.Tell(new AgentTurnStarted(turn, "hi", "test", DateTimeOffset.UtcNow));
        recognizer.Tell(new AgentTurnEnded(turn, TurnOutcome.Completed, "done"));
        recognizer.Tell(new TypedLine("next"));
        Assert.Equal("next", _conversation.ExpectMsg<TranscriptFinal>().Text);
        _tts.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void With_barge_in_disabled_typing_waits_instead_of_interrupting()
    {
        var recognizer = Recognizer(bargeIn: false);
        recognizer.Tell(new AgentTurnStarted(new TurnId(1), "hi", "test", DateTimeOffset.UtcNow));
        recognizer.Tell(new TypedLine("later"));
        Assert.Equal("later", _conversation.ExpectMsg<TranscriptFinal>().Text);
        _tts.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }
}

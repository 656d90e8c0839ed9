using Akka.Actor;
using Akka.Hosting;
using Akka.TestKit;
using VoiceAgent.Core.Protocol;
using Xunit;

namespace VoiceAgent.Speech.Tests;

public sealed class TtsActorTests(ITestOutputHelper output) : Akka.Hosting.TestKit.TestKit(output: output)
{
    private static readonly TurnId Turn = new(1);
    private TestProbe _playback = null!;

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider)
    {
        // Generous waits: the build machines are shared and busy; nothing here measures time.
        builder.AddHocon("akka.test.single-expect-default = 10s", HoconAddMode.Prepend);
    }

    protected override Task BeforeTestStart()
    {
        _playback = CreateTestProbe("playback");
        // Chunks are told to playback; that the turn's audio is complete is published.
        Sys.EventStream.Subscribe(_playback.Ref, typeof(SpeechCompleted));
        return Task.CompletedTask;
    }

    private IActorRef StartTts(ISpeechSynthesizer synthesizer, BargeInPolicy policy = BargeInPolicy.Force) =>
        Sys.ActorOf(Props.Create(() => new TtsActor(synthesizer, policy, _playback.Ref, null)));

    private static AgentTurnStarted Started(TurnId turn) => new(turn, "hi", "test", DateTimeOffset.UtcNow);

    [Fact]
    public void Text_only_mode_turns_every_delta_into_a_text_marker_then_completes()
    {
        var tts = StartTts(new TextOnlySynthesizer(24_000));
        tts.Tell(Started(Turn));
        tts.Tell(new AgentText(Turn, "Hello"));
        tts.Tell(new AgentText(Turn, " world."));
        tts.Tell(new AgentTextCompleted(Turn, "Hello world."));

        var first = _playback.ExpectMsg<AudioChunk>();
        var second = _playback.ExpectMsg<AudioChunk>();
        Assert.Equal((Turn, "Hello", 0, 24_000), (first.Turn, first.Text, first.Samples.Length, first.SampleRate));
        Assert.Equal((Turn, " world.", 0), (second.Turn, second.Text, second.Samples.Length));
        Assert.Equal(Turn, _playback.ExpectMsg<SpeechCompleted>().Turn);
    }

    [Fact]
    public async Task Text_that_arrives_before_the_session_opens_is_sent_in_order_once_it_opens()
    {
        var engine = new ScriptedSynthesizer { OpenGate = new TaskCompletionSource() };
        var tts = StartTts(engine);
        tts.Tell(Started(Turn));
        tts.Tell(new AgentText(Turn, "One, "));
        tts.Tell(new AgentText(Turn, "two."));
        tts.Tell(new AgentTextCompleted(Turn, "One, two."));
        engine.OpenGate.SetResult();

        var stream = await AwaitStream(engine);
        await AwaitAssertAsync(() =>
        {
            Assert.Equal("One, two.", string.Concat(stream.Sent));
            Assert.True(stream.Completed);
        });
    }

    [Fact]
    public async Task Audio_and_segment_text_reach_playback_and_the_end_completes_the_turn()
    {
        var engine = new ScriptedSynthesizer();
        var tts = StartTts(engine);
        Sys.EventStream.Subscribe(TestActor, typeof(SpeechMetrics));
        tts.Tell(Started(Turn));
        tts.Tell(new AgentText(Turn, "Hello."));
        var stream = await AwaitStream(engine);

        stream.Push(new SpeechAudio([1, 2, 3], null, 6));
        stream.Push(new SpeechAudio([], "Hello.", 0));
        stream.End();

        var audio = _playback.ExpectMsg<AudioChunk>();
        Assert.Equal([1, 2, 3], audio.Samples.ToArray());
        Assert.Null(audio.Text);
        Assert.Equal("Hello.", _playback.ExpectMsg<AudioChunk>().Text);
        _playback.ExpectMsg<SpeechCompleted>();
        var metrics = ExpectMsg<SpeechMetrics>();
        Assert.Equal(6, metrics.AudioBytes);
        Assert.Equal(TimeSpan.FromTicks(3 * TimeSpan.TicksPerSecond / 24_000), metrics.AudioDuration);
        Assert.NotNull(metrics.FirstTextToFirstAudio);
    }

    [Theory]
    [InlineData(BargeInPolicy.Force)]
    [InlineData(BargeInPolicy.Reconnect)]
    public async Task Barge_in_stops_the_stream_and_audio_arriving_afterwards_is_never_played(BargeInPolicy policy)
    {
        var engine = new ScriptedSynthesizer();
        var tts = StartTts(engine, policy);
        Sys.EventStream.Subscribe(TestActor, typeof(SpeechInterrupted));
        tts.Tell(Started(Turn));
        tts.Tell(new AgentText(Turn, "A long answer."));
        var stream = await AwaitStream(engine);
        stream.Push(new SpeechAudio([7, 7], null, 4));
        _playback.ExpectMsg<AudioChunk>();

        tts.Tell(new BargeIn(Turn, InputSource.Voice, DateTimeOffset.UtcNow));
        Assert.Equal(policy == BargeInPolicy.Force ? "force" : "reconnect", ExpectMsg<SpeechInterrupted>().Method);
        _playback.ExpectMsg<SpeechCompleted>();

        // The engine keeps delivering audio of the interrupted turn, and text keeps arriving.
        stream.Push(new SpeechAudio([9, 9, 9], "late", 6));
        tts.Tell(new AgentText(Turn, " more"));
        stream.End();
        await AwaitAssertAsync(() =>
        {
            Assert.True(stream.Disposed);
            if (policy == BargeInPolicy.Force) Assert.True(stream.Interrupted);
            else Assert.False(stream.Interrupted);
        });

        // The next turn still plays: its chunk is the next thing playback receives.
        var next = Turn.Next();
        tts.Tell(Started(next));
        tts.Tell(new AgentText(next, "Yes?"));
        var nextStream = await AwaitStream(engine, skip: 1);
        nextStream.Push(new SpeechAudio([5], null, 2));
        Assert.Equal(next, _playback.ExpectMsg<AudioChunk>().Turn);
        Assert.DoesNotContain(" more", stream.Sent);
    }

    [Fact]
    public async Task A_failing_stream_reports_one_line_and_still_completes_the_turn()
    {
        var engine = new ScriptedSynthesizer();
        var tts = StartTts(engine);
        Sys.EventStream.Subscribe(TestActor, typeof(SpeechFailed));
        Sys.EventStream.Subscribe(TestActor, typeof(StatusNotice));
        tts.Tell(Started(Turn));
        var stream = await AwaitStream(engine);
        stream.End(new SpeechSynthesisException("the TTS server reported an error: Error in audio response"));

        Assert.Equal("the TTS server reported an error: Error in audio response", FishForMessage<SpeechFailed>(_ => true).Reason);
        Assert.Equal(NoticeLevel.Error, FishForMessage<StatusNotice>(n => n.Level == NoticeLevel.Error).Level);
        Assert.Equal(Turn, _playback.ExpectMsg<SpeechCompleted>().Turn);
    }

    [Fact]
    public void A_session_that_cannot_open_fails_the_turn_and_completes_it()
    {
        var engine = new ScriptedSynthesizer { OpenFailure = new SpeechSynthesisException("the API key was rejected by wss://example (HTTP 401): check TELNYX_API_KEY") };
        var tts = StartTts(engine);
        Sys.EventStream.Subscribe(TestActor, typeof(SpeechFailed));
        tts.Tell(Started(Turn));
        tts.Tell(new AgentText(Turn, "Hi."));
        tts.Tell(new AgentTextCompleted(Turn, "Hi."));

        Assert.Contains("HTTP 401", ExpectMsg<SpeechFailed>().Reason);
        _playback.ExpectMsg<SpeechCompleted>();
        _playback.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void User_speech_warms_up_the_next_session()
    {
        var engine = new ScriptedSynthesizer();
        StartTts(engine);
        AwaitAssert(() =>
        {
            Sys.EventStream.Publish(new UserSpeechStarted(TurnId.None, DateTimeOffset.UtcNow));
            Assert.True(engine.WarmUps > 0);
        });
    }

    [Fact]
    public void A_pause_in_the_users_words_warms_up_the_next_session()
    {
        var engine = new ScriptedSynthesizer();
        StartTts(engine);
        AwaitAssert(() =>
        {
            Sys.EventStream.Publish(new TranscriptPreliminary("what is the", DateTimeOffset.UtcNow));
            Assert.True(engine.WarmUps > 0);
        });
    }

    private async Task<ScriptedStream> AwaitStream(ScriptedSynthesizer engine, int skip = 0)
    {
        ScriptedStream? stream = null;
        await AwaitConditionAsync(() => Task.FromResult((stream = engine.Streams.Skip(skip).FirstOrDefault()) is not null));
        return stream!;
    }
}

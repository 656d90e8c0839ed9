using Akka.Actor;
using Akka.Hosting;
using Akka.TestKit;
using VoiceAgent.Conversation.Local;
using VoiceAgent.Pipeline;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Conversation.Tests.Local;

/// <summary>A local model answers through the ConversationActor exactly as a remote one does.</summary>
public class LocalConversationActorTests(ITestOutputHelper output) : Akka.Hosting.TestKit.TestKit(output: output)
{
    private TestProbe _tts = null!;
    private TestProbe _events = null!;
    private LocalChatClient _client = null!;
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
        Sys.SubscribeAsTts(_tts.Ref);
        Sys.EventStream.Subscribe(_events.Ref, typeof(AgentTurnEnded));
        Sys.EventStream.Subscribe(_events.Ref, typeof(TurnLatency));
        _client = new LocalChatClient(LocalModel.Load(GeneratedModels.Scripted, LocalChatClientTests.Settings), "scripted");
        _engine = new ConversationEngine(_client, new ConversationSettings { MaxTokens = 16, SystemPrompt = "Be brief." }, "local model scripted");
        _conversation = Sys.ActorOf(Props.Create(() => new ConversationActor(_engine, null, null, null)));
        Sys.EventStream.Subscribe(_conversation, ConversationActor.Facts);
    }

    /// <summary>Every test ends its turns, so no generation holds the model here.</summary>
    protected override async Task AfterAllAsync()
    {
        await base.AfterAllAsync();
        _client.Dispose();
    }

    private static TranscriptFinal Heard(string text) => new(text, InputSource.Voice, DateTimeOffset.UtcNow);

    [Fact]
    public void A_reply_streams_piece_by_piece_to_the_tts_and_the_turn_completes_with_its_latency()
    {
        _conversation.Tell(Heard("hello"));
        var started = _tts.ExpectMsg<AgentTurnStarted>(TimeSpan.FromSeconds(10));
        Assert.Equal("local model scripted", started.Responder);

        var pieces = new List<string>();
        AgentTextCompleted completed;
        while (true)
        {
            var message = _tts.ExpectMsg<ITurnEvent>(TimeSpan.FromSeconds(10));
            if (message is AgentText text) pieces.Add(text.Delta);
            if (message is AgentTextCompleted done)
            {
                completed = done;
                break;
            }
        }
        Assert.Equal(16, pieces.Count);
        Assert.Equal(string.Concat(pieces), completed.FullText);
        Assert.StartsWith(" Hello from a tiny generated model.", completed.FullText);

        Sys.EventStream.Publish(new PlaybackStarted(started.Turn, DateTimeOffset.UtcNow));
        Sys.EventStream.Publish(new PlaybackFinished(started.Turn, TimeSpan.FromSeconds(4), completed.FullText, DateTimeOffset.UtcNow));

        var latency = _events.ExpectMsg<TurnLatency>();
        Assert.NotNull(latency.ModelFirstToken);
        var ended = _events.ExpectMsg<AgentTurnEnded>();
        Assert.Equal((TurnOutcome.Completed, completed.FullText), (ended.Outcome, ended.HeardText));
        Assert.Equal(completed.FullText.Trim(), _engine.History[^1].Text);
    }

    [Fact]
    public void A_barge_in_cancels_generation_and_history_keeps_only_the_heard_words()
    {
        var engine = new ConversationEngine(_client, new ConversationSettings { MaxTokens = 1000 }, "local model scripted");
        var conversation = Sys.ActorOf(Props.Create(() => new ConversationActor(engine, null, null, null)));
        conversation.Tell(Heard("tell me everything"));
        var turn = _tts.ExpectMsg<AgentTurnStarted>(TimeSpan.FromSeconds(10)).Turn;
        _tts.ExpectMsg<AgentText>(TimeSpan.FromSeconds(10));
        _tts.ExpectMsg<AgentText>(TimeSpan.FromSeconds(10));

        conversation.Tell(new BargeIn(turn, InputSource.Voice, DateTimeOffset.UtcNow));
        conversation.Tell(new PlaybackStopped(turn, TimeSpan.FromSeconds(1), " Hello from", DateTimeOffset.UtcNow));

        var ended = _events.FishForMessage<AgentTurnEnded>(_ => true, TimeSpan.FromSeconds(10));
        Assert.Equal((TurnOutcome.Interrupted, " Hello from"), (ended.Outcome, ended.HeardText));
        var last = engine.History[^1];
        Assert.Equal("Hello from …", last.Text);
        Assert.Equal(true, last.AdditionalProperties?[ConversationEngine.InterruptedProperty]);

        // The model is free again at once: the next turn streams (a generation still running would
        // hold the model's only context until its 1000 tokens were done).
        conversation.Tell(Heard("and then?"));
        var next = _tts.FishForMessage<AgentTurnStarted>(m => m.Turn.CompareTo(turn) > 0, TimeSpan.FromSeconds(10)).Turn;
        _tts.FishForMessage<AgentText>(_ => true, TimeSpan.FromSeconds(10));
        Assert.Equal(("and then?", "Hello from …"), (engine.History[^1].Text, engine.History[^2].Text));

        // Cut this one too, so no generation outlives the test.
        conversation.Tell(new BargeIn(next, InputSource.Voice, DateTimeOffset.UtcNow));
        conversation.Tell(new PlaybackStopped(next, TimeSpan.Zero, "", DateTimeOffset.UtcNow));
        Assert.Equal(TurnOutcome.Interrupted, _events.FishForMessage<AgentTurnEnded>(m => m.Turn == next, TimeSpan.FromSeconds(10)).Outcome);
    }
}

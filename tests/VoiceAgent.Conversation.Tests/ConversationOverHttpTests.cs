using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using Akka.TestKit;
using VoiceAgent.Extensions;
using VoiceAgent.Extensions.Tools;
using VoiceAgent.Pipeline;
using VoiceAgent.Core.Protocol;
using static VoiceAgent.Conversation.Tests.FakeChatServer;

namespace VoiceAgent.Conversation.Tests;

/// <summary>The ConversationActor with a real OpenAI-compatible endpoint over HTTP: interruption and
/// history, failures that end the turn but not the conversation, a tool call through an extension
/// actor, latency.</summary>
public sealed class ConversationOverHttpTests(ITestOutputHelper output) : Akka.Hosting.TestKit.TestKit(output: output)
{
    private FakeChatServer _server = null!;
    private ConversationEngine _engine = null!;
    private TestProbe _tts = null!;
    private TestProbe _events = null!;
    private IActorRef _conversation = null!;

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider)
    {
    }

    protected override async Task BeforeTestStart()
    {
        await base.BeforeTestStart();
        _server = await FakeChatServer.StartAsync();
        var settings = OpenAiStreamingTests.Settings(_server.BaseUrl);
        var (client, name) = ChatClientFactory.Create(settings);
        _engine = new ConversationEngine(client, settings, name);
        _tts = CreateTestProbe();
        _events = CreateTestProbe();
        Sys.SubscribeAsTts(_tts.Ref);
        foreach (var type in new[] { typeof(AgentTurnEnded), typeof(StatusNotice), typeof(TurnLatency), typeof(ToolCallRequested), typeof(ToolCallCompleted) })
            Sys.EventStream.Subscribe(_events.Ref, type);
        _conversation = Sys.ActorOf(Props.Create(() => new ConversationActor(_engine, null, TimeSpan.FromSeconds(5))));
        Sys.EventStream.Subscribe(_conversation, ConversationActor.Facts);
        ActorRegistry.Register<ConversationActorKey>(_conversation);
    }

    protected override async Task AfterAllAsync()
    {
        await _server.DisposeAsync();
        await base.AfterAllAsync();
    }

    private static TranscriptFinal Spoken(string text) => new(text, InputSource.Voice, DateTimeOffset.UtcNow.AddMilliseconds(-300));

    private string ReceiveReply(TurnId turn)
    {
        var text = "";
        while (true)
        {
            var message = _tts.ExpectMsg<ITurnEvent>(TimeSpan.FromSeconds(10));
            Assert.Equal(turn, message.Turn);
            if (message is AgentText piece) text += piece.Delta;
            if (message is AgentTextCompleted completed) return completed.FullText;
        }
    }

    private T Event<T>(Predicate<T>? match = null) => _events.FishForMessage(match ?? (_ => true), TimeSpan.FromSeconds(10));

    [Fact]
    public async Task An_interruption_cancels_the_request_and_history_keeps_only_what_was_heard()
    {
        // Long enough (about 6 s) that the barge-in always lands while the server is still streaming.
        var words = string.Join(' ', Enumerable.Repeat("Here is a long story about a small robot who lived in a lighthouse.", 5)).Split(' ');
        _server.Then(Stream(words.Select((w, i) => Chunk(content: i == 0 ? w : " " + w)).ToArray(), pause: TimeSpan.FromMilliseconds(100)));
        _conversation.Tell(Spoken("tell me a story"));
        var turn = _tts.ExpectMsg<AgentTurnStarted>().Turn;
        _tts.ExpectMsg<AgentText>();
        _conversation.Tell(new PlaybackProgress(turn, TimeSpan.FromSeconds(1), "Here is a long story"));

        _conversation.Tell(new BargeIn(turn, InputSource.Voice, DateTimeOffset.UtcNow));

        var ended = Event<AgentTurnEnded>();
        Assert.Equal((TurnOutcome.Interrupted, "Here is a long story"), (ended.Outcome, ended.HeardText));
        await _server.RequestAborted.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        // The next request carries the interrupted reply as heard, marked as cut off.
        _server.Then(Reply("Sure."));
        _conversation.Tell(Spoken("a shorter one please"));
        var next = _tts.FishForMessage<AgentTurnStarted>(_ => true, TimeSpan.FromSeconds(10));
        Assert.Equal("Sure.", ReceiveReply(next.Turn));
        var messages = _server.Requests[^1].Messages;
        Assert.Equal(
            ["system: Answer in short spoken sentences.", "user: tell me a story", "assistant: Here is a long story …", "user: a shorter one please"],
            messages.Select(m => $"{(string?)m!["role"]}: {OpenAiStreamingTests.ContentOf(m)}"));
    }

    [Fact]
    public void The_warm_up_reports_a_refused_key_before_the_first_turn()
    {
        _server.ModelListStatus = 401;
        var settings = OpenAiStreamingTests.Settings(_server.BaseUrl);
        var backend = ChatClientFactory.Create(settings);
        Sys.ActorOf(Props.Create(() => new ConversationActor(_engine, null, null, backend.WarmUp)));

        var notice = Event<StatusNotice>(n => n.Level == NoticeLevel.Error);
        Assert.Contains("refused the API key (401): check TEST_CHAT_KEY", notice.Text);
        Assert.Equal(1, _server.ModelListRequests);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public void A_failure_before_any_text_ends_the_turn_as_failed_and_the_next_input_works()
    {
        _server.Then(Status(401, "bad key"));
        _conversation.Tell(Spoken("hello"));
        var turn = _tts.ExpectMsg<AgentTurnStarted>().Turn;

        var notice = Event<StatusNotice>(n => n.Level == NoticeLevel.Error);
        Assert.Contains("401", notice.Text);
        var ended = Event<AgentTurnEnded>();
        Assert.Equal((turn, TurnOutcome.Failed), (ended.Turn, ended.Outcome));
        Assert.Contains("TEST_CHAT_KEY", ended.Error);

        _server.Then(Reply("Now it works."));
        _conversation.Tell(Spoken("hello again"));
        var next = _tts.FishForMessage<AgentTurnStarted>(_ => true, TimeSpan.FromSeconds(10));
        Assert.Equal("Now it works.", ReceiveReply(next.Turn));
        // History has no trace of a reply that never came.
        Assert.DoesNotContain(_server.Requests[^1].Messages, m => (string?)m!["role"] == "assistant");
    }

    [Fact]
    public void A_reply_of_reasoning_only_speaks_nothing_and_ends_as_failed()
    {
        _server.Then(Stream([Chunk(reasoning: "Thinking about it at length..."), Chunk(content: "")], finish: "length"));
        _conversation.Tell(Spoken("hmm"));
        var turn = _tts.ExpectMsg<AgentTurnStarted>().Turn;

        Assert.Equal("", ReceiveReply(turn));
        var ended = Event<AgentTurnEnded>();
        Assert.Equal((turn, TurnOutcome.Failed, "the model returned an empty reply"), (ended.Turn, ended.Outcome, ended.Error));
    }

    [Fact]
    public void A_reply_cut_mid_way_plays_what_arrived_then_ends_as_failed()
    {
        _server.Then(ReplyThenDrop("The answer", " is"));
        _conversation.Tell(Spoken("what is it"));
        var turn = _tts.ExpectMsg<AgentTurnStarted>().Turn;
        Assert.Equal("The answer is", ReceiveReply(turn));
        Assert.Contains("stopped mid-way", Event<StatusNotice>(n => n.Level == NoticeLevel.Error).Text);

        Sys.EventStream.Publish(new PlaybackFinished(turn, TimeSpan.FromSeconds(1), "The answer is", DateTimeOffset.UtcNow));

        var ended = Event<AgentTurnEnded>();
        Assert.Equal((TurnOutcome.Failed, "The answer is"), (ended.Outcome, ended.HeardText));
    }

    [Fact]
    public void A_tool_call_goes_to_the_offering_extension_actor_and_its_result_to_the_model()
    {
        var clock = new FixedClock(new DateTimeOffset(2026, 3, 14, 9, 26, 0, TimeSpan.Zero));
        var context = new ExtensionContext("clock-tool", ConfigurationFactory.ParseString("time-zone = \"Etc/UTC\""));
        Sys.ActorOf(Props.Create(() => new ClockToolActor(context, clock)));
        Assert.Contains("get_current_time", Event<StatusNotice>(n => n.Text.StartsWith("tool available")).Text);

        _server.Then(
            Stream([Chunk(content: "Let me look."), ToolCallChunk("call_7", "get_current_time", """{"time_zone":"Europe/Paris"}""")], finish: "tool_calls"),
            Reply("It is", " ten twenty-six."));
        _conversation.Tell(Spoken("what time is it in Paris"));
        var turn = _tts.ExpectMsg<AgentTurnStarted>().Turn;

        Assert.Equal("Let me look. It is ten twenty-six.", ReceiveReply(turn));
        var requested = Event<ToolCallRequested>();
        Assert.Equal((turn, "call_7", "get_current_time"), (requested.Turn, requested.CallId, requested.Name));
        var completed = Event<ToolCallCompleted>();
        Assert.False(completed.IsError, completed.Result);

        // The first request offered the tool; the second carried the call and the clock's answer.
        var offered = _server.Requests[0].Body["tools"]!.AsArray().Single()!;
        Assert.Equal("get_current_time", (string?)offered["function"]!["name"]);
        var toolMessage = _server.Requests[1].Messages.Single(m => (string?)m!["role"] == "tool")!;
        Assert.Equal("call_7", (string?)toolMessage["tool_call_id"]);
        var answer = JsonNode.Parse(OpenAiStreamingTests.ContentOf(toolMessage)!.Trim('"').Replace("\\\"", "\""))!;
        Assert.Equal(("2026-03-14", "10:26", "Saturday", "Europe/Paris"),
            ((string?)answer["date"], (string?)answer["time"], (string?)answer["weekday"], (string?)answer["time_zone"]));
    }

    [Fact]
    public void A_bad_offer_is_refused_with_a_reason_and_a_tool_leaves_with_its_actor()
    {
        var offerer = CreateTestProbe();
        _conversation.Tell(new OfferTool("look up", "Looks things up.", "{}"), offerer.Ref);
        Assert.Contains("letters, digits", offerer.ExpectMsg<ToolOfferRejected>().Reason);
        _conversation.Tell(new OfferTool("lookup", "Looks things up.", "{not json"), offerer.Ref);
        Assert.Contains("not valid JSON", offerer.ExpectMsg<ToolOfferRejected>().Reason);

        _conversation.Tell(new OfferTool("lookup", "Looks things up.", """{"type":"object","properties":{"q":{"type":"string"}}}"""), offerer.Ref);
        offerer.ExpectMsg<ToolOfferAccepted>();
        _server.Then(Reply("One."));
        _conversation.Tell(Spoken("first"));
        var first = _tts.ExpectMsg<AgentTurnStarted>().Turn;
        ReceiveReply(first);
        Assert.Equal("lookup", (string?)_server.Requests[^1].Body["tools"]![0]!["function"]!["name"]);
        Sys.EventStream.Publish(new PlaybackFinished(first, TimeSpan.Zero, "One.", DateTimeOffset.UtcNow));
        Event<AgentTurnEnded>();

        Watch(offerer.Ref);
        Sys.Stop(offerer.Ref);
        ExpectTerminated(offerer.Ref);
        _server.Then(Reply("Two."));
        // Told after the stop: the conversation handles its Terminated before this input, or the
        // input waits; either way the offer is gone once the tools list is empty.
        AwaitAssert(() =>
        {
            _conversation.Tell(Spoken("second"));
            var turn = _tts.FishForMessage<AgentTurnStarted>(_ => true, TimeSpan.FromSeconds(10)).Turn;
            ReceiveReply(turn);
            Sys.EventStream.Publish(new PlaybackFinished(turn, TimeSpan.Zero, "Two.", DateTimeOffset.UtcNow));
            Assert.Null(_server.Requests[^1].Body["tools"]);
        }, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Latency_is_published_once_per_turn_before_it_ends()
    {
        _server.Then(Reply("Hi."));
        _conversation.Tell(Spoken("hello"));
        var turn = _tts.ExpectMsg<AgentTurnStarted>().Turn;
        ReceiveReply(turn);
        Sys.EventStream.Publish(new PlaybackStarted(turn, DateTimeOffset.UtcNow));
        var latency = Event<TurnLatency>();
        Sys.EventStream.Publish(new PlaybackFinished(turn, TimeSpan.FromSeconds(1), "Hi.", DateTimeOffset.UtcNow));
        Event<AgentTurnEnded>();

        Assert.Equal(turn, latency.Turn);
        Assert.True(latency.Transcript >= TimeSpan.FromMilliseconds(300), "counted from the end of speech");
        Assert.True(latency.FirstText >= latency.Transcript);
        Assert.True(latency.FirstAudio >= latency.FirstText);
        Assert.Equal(latency.FirstAudio, latency.VoiceToVoice);
        Assert.Equal(latency.FirstAudio - latency.FirstText, latency.TextToAudio);
        Assert.NotNull(latency.ModelFirstToken);
        _events.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

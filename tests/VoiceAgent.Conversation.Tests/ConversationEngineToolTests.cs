using Microsoft.Extensions.AI;
using VoiceAgent.Conversation;

namespace VoiceAgent.Conversation.Tests;

/// <summary>Drafts, tool traffic in history and the offline responder's tool use, through the engine.</summary>
public class ConversationEngineToolTests
{
    private const string NoArguments = """{"type":"object","properties":{}}""";

    private sealed class AnsweringHooks(string result) : IReplyHooks
    {
        public List<ToolCall> Calls { get; } = [];

        public Task<ToolOutput> CallToolAsync(ToolCall call, CancellationToken cancellationToken)
        {
            Calls.Add(call);
            return Task.FromResult(new ToolOutput(result));
        }

        public void Retrying(string notice)
        {
        }
    }

    private static ConversationEngine Engine(int budget = 8000) =>
        new(new OfflineResponder(TimeSpan.Zero), new ConversationSettings { SystemPrompt = "Be brief.", HistoryBudget = budget }, OfflineResponder.Name);

    private static async Task<string> Collect(IAsyncEnumerable<string> reply)
    {
        var text = "";
        await foreach (var piece in reply) text += piece;
        return text;
    }

    private static ToolExchange Exchange(string callId, string result, bool cancelled = false) =>
        new(new ToolCall(callId, "get_weather", """{"city":"Oslo"}"""), new ToolOutput(result), cancelled);

    [Fact]
    public async Task A_draft_leaves_history_unchanged_until_it_is_adopted()
    {
        var engine = Engine();

        var draft = await Collect(engine.DraftReplyAsync("my cat is orange", TestContext.Current.CancellationToken));

        Assert.StartsWith("You said: my cat is orange.", draft);
        Assert.Empty(engine.History);
        engine.AdoptDraft("my cat is orange");
        engine.RecordReply(draft, interrupted: false);
        Assert.Equal([ChatRole.User, ChatRole.Assistant], engine.History.Select(m => m.Role));
    }

    [Fact]
    public void Tool_calls_are_kept_call_then_result_before_the_heard_words()
    {
        var engine = Engine();
        engine.AdoptDraft("weather in Oslo and Rome");

        engine.RecordToolCalls([Exchange("c1", "sunny"), Exchange("c2", "", cancelled: true)]);
        engine.RecordReply("It is sunny in Oslo", interrupted: true);

        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.Tool, ChatRole.Assistant, ChatRole.Tool, ChatRole.Assistant],
            engine.History.Select(m => m.Role));
        var call = Assert.IsType<FunctionCallContent>(Assert.Single(engine.History[1].Contents));
        Assert.Equal(("c1", "get_weather", "Oslo"), (call.CallId, call.Name, call.Arguments!["city"]!.ToString()));
        Assert.Equal(("c1", "sunny"), Result(engine.History[2]));
        Assert.Equal(("c2", ToolExchange.CancelledResult), Result(engine.History[4]));
        Assert.Equal("It is sunny in Oslo …", engine.History[5].Text);
    }

    private static (string, string?) Result(ChatMessage message)
    {
        var result = Assert.IsType<FunctionResultContent>(Assert.Single(message.Contents));
        return (result.CallId, result.Result?.ToString());
    }

    [Fact]
    public void Trimming_never_leaves_a_tool_result_without_its_call_first()
    {
        var engine = Engine(budget: 60);
        engine.AdoptDraft("weather please, for the city I live in");
        engine.RecordToolCalls([Exchange("c1", "sunny and warm, twenty degrees")]);

        Assert.NotEqual(ChatRole.Tool, engine.History[0].Role);
    }

    [Fact]
    public async Task The_offline_responder_leads_in_calls_the_tool_the_user_names_and_tells_its_result()
    {
        var engine = Engine();
        engine.OfferTool(ToolDefinition.Parse("get_current-time", "Tells the time.", NoArguments).Tool!);
        var hooks = new AnsweringHooks("ten past nine");

        var reply = await Collect(engine.ReplyAsync("Please Get Current Time for me", TestContext.Current.CancellationToken, hooks));

        Assert.Equal("Let me check that. The get current time tool says: ten past nine.", reply);
        var call = Assert.Single(hooks.Calls);
        Assert.Equal(("get_current-time", "{}"), (call.Name, call.ArgumentsJson));
    }

    [Fact]
    public async Task The_offline_responder_answers_as_before_when_no_offered_tool_is_named()
    {
        var engine = Engine();
        engine.OfferTool(ToolDefinition.Parse("get_weather", "Weather.", NoArguments).Tool!);
        var hooks = new AnsweringHooks("sunny");

        Assert.Equal(OfflineResponder.ReplyTo("hello"), await Collect(engine.ReplyAsync("hello", TestContext.Current.CancellationToken, hooks)));
        // Named, but not offered (no hooks: no tools).
        Assert.Equal(OfflineResponder.ReplyTo("get weather"), await Collect(engine.ReplyAsync("get weather", TestContext.Current.CancellationToken)));
        Assert.Empty(hooks.Calls);
    }
}

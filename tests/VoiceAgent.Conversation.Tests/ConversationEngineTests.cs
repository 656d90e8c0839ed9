using Microsoft.Extensions.AI;
using VoiceAgent.Conversation;

namespace VoiceAgent.Conversation.Tests;

public class ConversationEngineTests
{
    private static ConversationEngine Engine(int budget = 8000) =>
        new(new OfflineResponder(TimeSpan.Zero), new ConversationSettings { SystemPrompt = "Be brief.", HistoryBudget = budget }, OfflineResponder.Name);

    private static async Task<string> Reply(ConversationEngine engine, string text)
    {
        var pieces = new List<string>();
        await foreach (var piece in engine.ReplyAsync(text, TestContext.Current.CancellationToken)) pieces.Add(piece);
        Assert.True(pieces.Count > 1, "the reply should stream in pieces");
        return string.Concat(pieces);
    }

    [Fact]
    public async Task The_offline_responder_is_deterministic_and_uses_the_users_words()
    {
        var first = await Reply(Engine(), "my cat is orange");
        var second = await Reply(Engine(), "my cat is orange");
        Assert.Equal(first, second);
        Assert.StartsWith("You said: my cat is orange.", first);
        Assert.Contains("offline", OfflineResponder.ReplyTo("hello there"));
    }

    [Fact]
    public async Task A_completed_reply_is_kept_whole_in_history()
    {
        var engine = Engine();
        var reply = await Reply(engine, "hello");
        engine.RecordReply(reply, interrupted: false);

        Assert.Collection(engine.History,
            m => Assert.Equal((ChatRole.User, "hello"), (m.Role, m.Text)),
            m => Assert.Equal((ChatRole.Assistant, reply), (m.Role, m.Text)));
    }

    [Fact]
    public async Task An_interrupted_reply_keeps_only_what_was_heard_and_is_marked()
    {
        var engine = Engine();
        await Reply(engine, "tell me a story");
        engine.RecordReply("Here is a long story,", interrupted: true);

        var last = engine.History[^1];
        Assert.Equal("Here is a long story, …", last.Text);
        Assert.Equal(true, last.AdditionalProperties?[ConversationEngine.InterruptedProperty]);
    }

    [Fact]
    public async Task History_is_trimmed_to_the_budget_oldest_first()
    {
        var engine = Engine(budget: 150);
        for (var i = 0; i < 5; i++)
        {
            var reply = await Reply(engine, $"message number {i}");
            engine.RecordReply(reply, interrupted: false);
        }
        Assert.True(engine.History.Sum(m => m.Text.Length) <= 150 || engine.History.Count == 1);
        Assert.Contains("message number 4", engine.History[^1].Text);
        Assert.DoesNotContain(engine.History, m => m.Text == "message number 0");
    }

    [Fact]
    public async Task Cancelling_stops_the_stream()
    {
        var engine = new ConversationEngine(new OfflineResponder(TimeSpan.FromMilliseconds(20)), new ConversationSettings(), OfflineResponder.Name);
        using var cancel = new CancellationTokenSource();
        var pieces = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in engine.ReplyAsync("tell me a story", cancel.Token))
            {
                if (++pieces == 3) cancel.Cancel();
            }
        });
        Assert.Equal(3, pieces);
    }
}

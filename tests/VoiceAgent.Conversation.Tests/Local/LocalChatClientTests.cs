using Microsoft.Extensions.AI;
using VoiceAgent.Conversation.Local;

namespace VoiceAgent.Conversation.Tests.Local;

/// <summary>The local model behind IChatClient, on generated GGUF models (their words are known by
/// construction; see GeneratedLlamaModel).</summary>
public class LocalChatClientTests
{
    internal static readonly LocalModelSettings Settings = new() { ContextSize = 2048, Threads = 1, BatchSize = 64 };

    private static ChatMessage[] Hello => [new ChatMessage(ChatRole.User, "hello")];

    private static async Task<(string Text, ChatFinishReason? Finish, int Pieces)> Reply(IChatClient client, int maxTokens = 40, IEnumerable<ChatMessage>? messages = null)
    {
        var text = "";
        ChatFinishReason? finish = null;
        var pieces = 0;
        await foreach (var update in client.GetStreamingResponseAsync(messages ?? Hello, new ChatOptions { MaxOutputTokens = maxTokens }))
        {
            text += update.Text;
            finish = update.FinishReason ?? finish;
            if (update.Text.Length > 0) pieces++;
        }
        return (text, finish, pieces);
    }

    [Fact]
    public async Task A_generated_model_streams_its_script_token_by_token_up_to_the_limit()
    {
        using var client = new LocalChatClient(LocalModel.Load(GeneratedModels.Scripted, Settings), "scripted");

        var (text, finish, pieces) = await Reply(client, 12);

        Assert.Equal(" Hello from a tiny generated model. It speaks in short sentences. Each", text);
        Assert.Equal(12, pieces);
        Assert.Equal(ChatFinishReason.Length, finish);
    }

    [Fact]
    public async Task The_end_of_sequence_token_ends_the_reply()
    {
        using var client = new LocalChatClient(LocalModel.Load(GeneratedModels.Ending, Settings), "ending");

        var (text, finish, _) = await Reply(client, 50);

        Assert.Equal(" Short answer.", text);
        Assert.Equal(ChatFinishReason.Stop, finish);
    }

    [Fact]
    public async Task Cancelling_stops_generation_before_the_next_token_and_frees_the_model_for_the_next_reply()
    {
        using var client = new LocalChatClient(LocalModel.Load(GeneratedModels.Scripted, Settings), "scripted");
        using var cancellation = new CancellationTokenSource();
        var stream = client.GetStreamingResponseAsync(Hello, new ChatOptions { MaxOutputTokens = 500 }, cancellation.Token).GetAsyncEnumerator();

        Assert.True(await stream.MoveNextAsync());
        Assert.True(await stream.MoveNextAsync());
        cancellation.Cancel();

        // Not one more token after the cancellation.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await stream.MoveNextAsync());
        await stream.DisposeAsync();
        var (text, _, _) = await Reply(client, 3);
        Assert.Equal(" Hello from a", text);
    }

    [Fact]
    public async Task A_conversation_longer_than_the_context_is_one_clear_error()
    {
        using var client = new LocalChatClient(LocalModel.Load(GeneratedModels.Scripted, Settings with { ContextSize = 256 }), "scripted");
        var longText = string.Join(" ", Enumerable.Repeat("words the model must read", 80));

        var error = await Assert.ThrowsAsync<ChatReplyException>(() => Reply(client, 10, [new ChatMessage(ChatRole.User, longText)]));

        Assert.Contains("no longer fits the local model's context of 256 tokens", error.Message);
        Assert.Contains("voice-agent.conversation.local.context-size", error.Message);
    }

    [Fact]
    public async Task Reasoning_in_think_tags_never_reaches_the_spoken_text()
    {
        using var client = new LocalChatClient(LocalModel.Load(GeneratedModels.Thinking, Settings), "thinking");
        var engine = new ConversationEngine(client, new ConversationSettings(), "local");

        var spoken = "";
        await foreach (var piece in engine.ReplyAsync("why?", CancellationToken.None)) spoken += piece;

        Assert.Equal(" Spoken words only.", spoken);
        // The raw stream did contain the reasoning: the filter, not the model, kept it out.
        var (raw, _, _) = await Reply(client, 20);
        Assert.Contains("pondering", raw);
    }
}

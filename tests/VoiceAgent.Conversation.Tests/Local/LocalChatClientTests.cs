using Microsoft.Extensions.AI;
using VoiceAgent.Conversation.Local;

namespace VoiceAgent.Conversation.Tests.Local;

public class LocalChatClientTests
{
    private static readonly LocalModelSettings Settings = new() { ContextSize = 2048, Threads = 1 };

    private static async Task<string> ReplyText(IChatClient client, int maxTokens = 40)
    {
        var text = "";
        await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "hello")], new ChatOptions { MaxOutputTokens = maxTokens }))
            text += update.Text;
        return text;
    }

    [Fact]
    public async Task A_generated_model_loads_and_streams_its_script()
    {
        using var client = new LocalChatClient(LocalModel.Load(GeneratedModels.Scripted, Settings), "scripted");
        var text = await ReplyText(client, 12);
        Assert.StartsWith(" Hello from a tiny generated model. It speaks", text);
    }
}

using System.Text.Json;
using Microsoft.Extensions.AI;
using VoiceAgent.Conversation.Local;
using VoiceAgent.TestSupport;

namespace VoiceAgent.Conversation.Tests.Local;

/// <summary>Tools reach a local model whose template takes them (Hermes-style &lt;tool_call&gt;).</summary>
public class LocalToolCallTests
{
    private static readonly Lazy<string> CallingModel = new(() => GeneratedModels.Generate("tool-calling.gguf", new LlamaModelContent(
        ["<tool_call>", "{\"name\":▁\"get_time\",▁\"arguments\":▁{\"zone\":▁\"UTC\"}}", "</tool_call>"],
        EndAfterScript: true,
        ChatTemplate: LlamaModelContent.ToolTemplate)));

    private static AIFunction Clock(List<string> calls) =>
        AIFunctionFactory.Create((string zone) =>
        {
            lock (calls) calls.Add(zone);
            return "12:00";
        }, "get_time", "The time in a zone.");

    [Fact]
    public async Task The_tools_are_described_in_the_system_message()
    {
        using var client = new LocalChatClient(LocalModel.Load(CallingModel.Value, LocalChatClientTests.Settings), "caller");

        await client.GetResponseAsync([new ChatMessage(ChatRole.System, "Be brief."), new ChatMessage(ChatRole.User, "hi")],
            new ChatOptions { Tools = [Clock([])], MaxOutputTokens = 1 });

        Assert.StartsWith("<|im_start|>system\nBe brief.\n\n# Tools\n", client.LastPrompt);
        Assert.Contains("{\"type\":\"function\",\"function\":{\"name\":\"get_time\",\"description\":\"The time in a zone.\",\"parameters\":{", client.LastPrompt);
    }

    [Fact]
    public async Task A_tool_call_in_the_output_becomes_a_function_call_and_is_never_text()
    {
        using var client = new LocalChatClient(LocalModel.Load(CallingModel.Value, LocalChatClientTests.Settings), "caller");
        Assert.True(client.SupportsTools);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "what time is it?")],
                           new ChatOptions { Tools = [Clock([])], MaxOutputTokens = 20 }))
            updates.Add(update);

        var call = Assert.Single(updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>());
        Assert.Equal("get_time", call.Name);
        Assert.Equal("UTC", ((JsonElement)call.Arguments!["zone"]!).GetString());
        Assert.Equal("", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(ChatFinishReason.ToolCalls, updates[^1].FinishReason);
    }

    [Fact]
    public async Task The_function_calling_loop_runs_the_tool_and_hands_its_result_back_to_the_model()
    {
        using var local = new LocalChatClient(LocalModel.Load(CallingModel.Value, LocalChatClientTests.Settings), "caller");
        var calls = new List<string>();
        using var client = new FunctionInvokingChatClient(local) { MaximumIterationsPerRequest = 2 };

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "what time is it?")], new ChatOptions { Tools = [Clock(calls)], MaxOutputTokens = 20 });

        Assert.Contains("UTC", calls);
        // The model's later round read its own call and the tool's answer, in its template's format.
        Assert.Contains("<|im_start|>assistant\n<tool_call>\n{\"name\":\"get_time\",\"arguments\":{\"zone\":\"UTC\"}}\n</tool_call><|im_end|>", local.LastPrompt);
        Assert.Contains("<|im_start|>user\n<tool_response>\n12:00\n</tool_response><|im_end|>", local.LastPrompt);
    }

    [Fact]
    public void A_model_whose_template_has_no_tool_format_says_so()
    {
        using var client = new LocalChatClient(LocalModel.Load(GeneratedModels.Scripted, LocalChatClientTests.Settings), "plain");

        Assert.False(client.SupportsTools);
        Assert.Contains("has no tool-call format", LocalWarmUp.ToolsUnsupported(client.Model));
    }
}

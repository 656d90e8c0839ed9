using System.Diagnostics;
using Microsoft.Extensions.AI;

namespace VoiceAgent.Conversation.Local;

/// <summary>
/// Generates a few tokens at start, so the first turn finds the weights paged in and llama.cpp's
/// compute buffers made, and tells the user what the model costs in memory.
/// </summary>
public sealed class LocalWarmUp(LocalChatClient client) : IChatWarmUp
{
    public async Task<WarmUpResult> WarmUpAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            await foreach (var _ in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Hello.")],
                               new ChatOptions { MaxOutputTokens = 4, Temperature = 0 }, cancellationToken))
            {
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new WarmUpResult($"the local model {client.Model.FileName} failed its first reply: {e.Message}");
        }
        var model = client.Model;
        var memory = Process.GetCurrentProcess().WorkingSet64;
        return new WarmUpResult(null,
            $"local model ready: loaded in {model.LoadTime.TotalSeconds:0.0} s, warmed up in {clock.Elapsed.TotalSeconds:0.0} s; " +
            $"model file {LocalModel.Mib(model.FileBytes)}, context {model.Context.ContextSize} tokens, this process now uses {LocalModel.Mib(memory)} of memory");
    }

    /// <summary>Why tools are not offered to a local model (said once, when the first tool is
    /// offered); null when its template takes them.</summary>
    public static string? ToolsUnsupported(LocalModel model) =>
        HermesToolFormat.IsSupportedBy(model.ChatTemplate)
            ? null
            : $"tools are not offered to the local model {model.FileName}: its chat template has no tool-call format this assistant knows (<tool_call>, as in Qwen2.5); use an openai-compatible endpoint for tools";
}

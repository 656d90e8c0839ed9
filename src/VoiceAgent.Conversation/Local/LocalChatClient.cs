using System.Runtime.CompilerServices;
using System.Text;
using LLama;
using LLama.Native;
using LLama.Sampling;
using Microsoft.Extensions.AI;

namespace VoiceAgent.Conversation.Local;

/// <summary>
/// A local GGUF model as a Microsoft.Extensions.AI <see cref="IChatClient"/>, so the conversation
/// streams, trims history, keeps heard text and measures latency exactly as with a remote
/// endpoint. Each reply renders the whole prompt with the chat template stored in the GGUF (the
/// history may have been trimmed or cut by an interruption since the last turn), evaluates it in
/// batches and samples token by token; cancellation is checked before every step, so a barge-in
/// stops generation within one token. One reply at a time: the model has one context.
/// </summary>
public sealed class LocalChatClient(LocalModel model, string name) : IChatClient
{
    private static readonly LLamaSeqId Sequence = LLamaSeqId.Zero;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ChatClientMetadata _metadata = new("llama.cpp", defaultModelId: name);
    private bool _disposed;

    public LocalModel Model => model;

    /// <summary>Tokens of the last prompt evaluated (for diagnostics and benchmarks).</summary>
    public int LastPromptTokens { get; private set; }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        await foreach (var update in GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            text.Append(update.Text);
            finish = update.FinishReason ?? finish;
        }
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, text.ToString())) { FinishReason = finish, ModelId = name };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var context = model.Context;
            var prompt = Render(messages);
            var tokens = context.Tokenize(prompt, addBos: true, special: true);
            LastPromptTokens = tokens.Length;
            var size = (int)context.ContextSize;
            if (tokens.Length >= size)
                throw new ChatReplyException($"the conversation ({tokens.Length} tokens) no longer fits the local model's context of {size} tokens; raise voice-agent.conversation.local.context-size or lower history-budget.");

            context.NativeHandle.MemoryClear();
            var batch = new LLamaBatch();
            var position = 0;
            var step = Math.Max(1, (int)context.BatchSize);
            for (var start = 0; start < tokens.Length; start += step)
            {
                cancellationToken.ThrowIfCancellationRequested();
                batch.Clear();
                var count = Math.Min(step, tokens.Length - start);
                for (var i = 0; i < count; i++)
                    batch.Add(tokens[start + i], position++, Sequence, start + i == tokens.Length - 1);
                await DecodeAsync(context, batch);
            }

            using var sampler = new DefaultSamplingPipeline
            {
                Temperature = options?.Temperature ?? 0.7f,
                TopP = options?.TopP ?? 0.95f,
                TopK = options?.TopK ?? 40,
                Seed = options?.Seed is { } seed ? (uint)seed : (uint)Random.Shared.Next(),
            };
            var decoder = new StreamingTokenDecoder(context);
            var vocabulary = model.Weights.NativeHandle.Vocab;
            var limit = Math.Min(options?.MaxOutputTokens ?? 512, size - tokens.Length);
            var messageId = Guid.NewGuid().ToString("N");
            var finish = ChatFinishReason.Length;
            for (var generated = 0; generated < limit; generated++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var token = sampler.Sample(context.NativeHandle, batch.TokenCount - 1);
                if (token.IsEndOfGeneration(vocabulary))
                {
                    finish = ChatFinishReason.Stop;
                    break;
                }
                decoder.Add(token);
                var piece = decoder.Read();
                if (piece.Length > 0)
                    yield return new ChatResponseUpdate(ChatRole.Assistant, piece) { MessageId = messageId, ModelId = name };
                if (generated + 1 == limit) break;
                cancellationToken.ThrowIfCancellationRequested();
                batch.Clear();
                batch.Add(token, position++, Sequence, true);
                await DecodeAsync(context, batch);
            }
            yield return new ChatResponseUpdate { Role = ChatRole.Assistant, FinishReason = finish, MessageId = messageId, ModelId = name };
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Off the caller's thread: a step of a large model takes tens of milliseconds.</summary>
    private static async Task DecodeAsync(LLamaContext context, LLamaBatch batch)
    {
        var result = await context.DecodeAsync(batch, CancellationToken.None);
        if (result != DecodeResult.Ok)
            throw new ChatReplyException($"the local model failed to evaluate the prompt (llama.cpp decode returned {result}).");
    }

    /// <summary>The prompt as the model was trained to read it: the GGUF's chat template, or
    /// ChatML when the file has none that llama.cpp knows.</summary>
    private string Render(IEnumerable<ChatMessage> messages)
    {
        var list = messages.Where(m => m.Role == ChatRole.System || m.Role == ChatRole.User || m.Role == ChatRole.Assistant)
            .Select(m => (Role: m.Role.Value, Text: m.Text))
            .ToList();
        try
        {
            return Apply(new LLamaTemplate(model.Weights, strict: false), list);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Apply(new LLamaTemplate("chatml"), list);
        }
    }

    private static string Apply(LLamaTemplate template, List<(string Role, string Text)> messages)
    {
        template.AddAssistant = true;
        foreach (var (role, text) in messages) template.Add(role, text);
        return LLamaTemplate.Encoding.GetString(template.Apply());
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null :
        serviceType == typeof(ChatClientMetadata) ? _metadata :
        serviceType.IsInstanceOfType(this) ? this : null;

    /// <summary>Waits for a running reply to stop (it was cancelled, or ends within its token
    /// limit) before the native memory goes.</summary>
    public void Dispose()
    {
        if (!_gate.Wait(TimeSpan.FromSeconds(10))) return;
        try
        {
            if (_disposed) return;
            _disposed = true;
            model.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }
}

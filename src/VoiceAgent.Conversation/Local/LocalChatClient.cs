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

    /// <summary>The last prompt evaluated, as text and in tokens (for diagnostics and benchmarks).</summary>
    public string LastPrompt { get; private set; } = "";

    public int LastPromptTokens { get; private set; }

    /// <summary>The streamed reply gathered into one response (text and any tool calls).</summary>
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var context = model.Context;
            var tools = options?.Tools?.OfType<AIFunctionDeclaration>().ToList() ?? [];
            if (!SupportsTools) tools.Clear();
            var prompt = Render(messages, tools);
            var tokens = context.Tokenize(prompt, addBos: true, special: true);
            (LastPrompt, LastPromptTokens) = (prompt, tokens.Length);
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
            // Tool calls are taken out of the text: never spoken, handed on as calls.
            var calls = tools.Count > 0 ? new TagSpanFilter(HermesToolFormat.CallOpen, HermesToolFormat.CallClose) : null;
            var called = false;
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
                if (calls is not null)
                {
                    piece = calls.Push(piece);
                    foreach (var call in calls.TakeSpans().Select(HermesToolFormat.ParseCall).OfType<FunctionCallContent>())
                    {
                        called = true;
                        yield return new ChatResponseUpdate(ChatRole.Assistant, [call]) { MessageId = messageId, ModelId = name };
                    }
                }
                if (piece.Length > 0)
                    yield return new ChatResponseUpdate(ChatRole.Assistant, piece) { MessageId = messageId, ModelId = name };
                if (generated + 1 == limit) break;
                cancellationToken.ThrowIfCancellationRequested();
                batch.Clear();
                batch.Add(token, position++, Sequence, true);
                await DecodeAsync(context, batch);
            }
            if (calls?.Flush() is { Length: > 0 } rest)
                yield return new ChatResponseUpdate(ChatRole.Assistant, rest) { MessageId = messageId, ModelId = name };
            if (called) finish = ChatFinishReason.ToolCalls;
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

    /// <summary>Whether the model's chat template takes tools (<see cref="HermesToolFormat"/>).</summary>
    public bool SupportsTools { get; } = HermesToolFormat.IsSupportedBy(model.ChatTemplate);

    /// <summary>The prompt as the model was trained to read it: the GGUF's chat template, or
    /// ChatML when the file has none that llama.cpp knows; tools (when offered) in its format.</summary>
    private string Render(IEnumerable<ChatMessage> messages, List<AIFunctionDeclaration> tools)
    {
        // A model that takes tools reads calls and results in its format also in a round without
        // tools (the function-calling loop's last one).
        var list = !SupportsTools
            ? messages.Where(m => m.Role == ChatRole.System || m.Role == ChatRole.User || m.Role == ChatRole.Assistant)
                .Select(m => (Role: m.Role.Value, Text: m.Text))
                .ToList()
            : messages.Select(HermesToolFormat.Render).ToList();
        if (tools.Count > 0)
        {
            var system = list.FindIndex(m => m.Role == ChatRole.System.Value);
            if (system < 0) list.Insert(0, (ChatRole.System.Value, HermesToolFormat.SystemWithTools("", tools)));
            else list[system] = (list[system].Role, HermesToolFormat.SystemWithTools(list[system].Text, tools));
        }
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

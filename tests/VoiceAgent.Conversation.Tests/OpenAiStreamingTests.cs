using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using static VoiceAgent.Conversation.Tests.FakeChatServer;

namespace VoiceAgent.Conversation.Tests;

/// <summary>The engine against an OpenAI-compatible server over real HTTP (SSE): streaming, errors,
/// retries, cancellation.</summary>
public sealed class OpenAiStreamingTests : IAsyncLifetime
{
    private FakeChatServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await FakeChatServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    internal static ConversationSettings Settings(string baseUrl) => new()
    {
        Provider = "openai",
        BaseUrl = baseUrl,
        Model = "test-model",
        ApiKey = "sk-test-key",
        ApiKeyEnv = "TEST_CHAT_KEY",
        Temperature = 0.3f,
        MaxTokens = 120,
        SystemPrompt = "Answer in short spoken sentences.",
        // Generous: a first request on a busy machine must not be mistaken for a timeout.
        Timeout = TimeSpan.FromSeconds(20),
        RetryBackoff = TimeSpan.FromMilliseconds(20),
        MaxRetries = 2,
    };

    private ConversationEngine Engine(Func<ConversationSettings, ConversationSettings>? adjust = null)
    {
        var settings = Settings(_server.BaseUrl);
        if (adjust is not null) settings = adjust(settings);
        var (client, name) = ChatClientFactory.Create(settings);
        return new ConversationEngine(client, settings, name);
    }

    private static async Task<List<string>> Collect(IAsyncEnumerable<string> reply, List<string>? into = null)
    {
        var pieces = into ?? [];
        await foreach (var piece in reply) pieces.Add(piece);
        return pieces;
    }

    private sealed class RecordingHooks : IReplyHooks
    {
        public ConcurrentQueue<string> Retries { get; } = new();

        public Task<ToolOutput> CallToolAsync(ToolCall call, CancellationToken cancellationToken) =>
            Task.FromResult(new ToolOutput("no tools here", IsError: true));

        public void Retrying(string notice) => Retries.Enqueue(notice);
    }

    [Fact]
    public async Task A_reply_streams_piece_by_piece_and_reasoning_is_never_spoken()
    {
        _server.Then(Stream([
            Chunk(reasoning: "The user greets me; I should greet back."),
            Chunk(content: "Hello"),
            Chunk(content: " there."),
            Chunk(content: " <think>hidden</think>How can I help?"),
        ]));
        var engine = Engine();

        var pieces = await Collect(engine.ReplyAsync("hi", TestContext.Current.CancellationToken));

        Assert.Equal(["Hello", " there.", " How can I help?"], pieces);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("Bearer sk-test-key", request.Authorization);
        Assert.Equal("test-model", (string?)request.Body["model"]);
        Assert.True((bool?)request.Body["stream"]);
        Assert.Equal(0.3, (double?)request.Body["temperature"] ?? 0, 3);
        Assert.Equal(120, (int?)(request.Body["max_completion_tokens"] ?? request.Body["max_tokens"]));
        Assert.Collection(request.Messages,
            m => Assert.Equal(("system", "Answer in short spoken sentences."), ((string?)m!["role"], ContentOf(m))),
            m => Assert.Equal(("user", "hi"), ((string?)m!["role"], ContentOf(m))));
    }

    [Fact]
    public async Task A_refused_key_fails_at_once_naming_the_variable()
    {
        _server.Then(Status(401, "Incorrect API key provided: sk-te***key"));

        var error = await Assert.ThrowsAsync<ChatReplyException>(() => Collect(Engine().ReplyAsync("hi", TestContext.Current.CancellationToken)));

        Assert.Contains("401", error.Message);
        Assert.Contains("TEST_CHAT_KEY", error.Message);
        Assert.DoesNotContain("sk-te", error.Message);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task An_unknown_model_fails_at_once_naming_the_model()
    {
        _server.Then(Status(404, "The model `test-model` does not exist"));

        var error = await Assert.ThrowsAsync<ChatReplyException>(() => Collect(Engine().ReplyAsync("hi", TestContext.Current.CancellationToken)));

        Assert.Contains("'test-model' was not found", error.Message);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Rate_limiting_is_retried_with_a_notice_and_then_the_reply_arrives()
    {
        _server.Then(Status(429, "slow down", retryAfter: "0"), Reply("Sorry", " for the wait."));
        var hooks = new RecordingHooks();

        var pieces = await Collect(Engine().ReplyAsync("hi", TestContext.Current.CancellationToken, hooks));

        Assert.Equal("Sorry for the wait.", string.Concat(pieces));
        Assert.Equal(2, _server.Requests.Count);
        var notice = Assert.Single(hooks.Retries);
        Assert.Contains("429", notice);
        Assert.Contains("attempt 2 of 3", notice);
    }

    [Fact]
    public async Task Server_errors_are_retried_a_bounded_number_of_times_then_given_up()
    {
        _server.Fallback = Status(500, "boom");
        var hooks = new RecordingHooks();

        var error = await Assert.ThrowsAsync<ChatReplyException>(() => Collect(Engine().ReplyAsync("hi", TestContext.Current.CancellationToken, hooks)));

        Assert.Contains("500", error.Message);
        Assert.Contains("gave up after 3 attempts", error.Message);
        Assert.Equal(3, _server.Requests.Count);
        Assert.Equal(2, hooks.Retries.Count);
    }

    [Fact]
    public async Task A_stream_that_drops_mid_reply_is_not_retried_and_keeps_what_arrived()
    {
        _server.Then(ReplyThenDrop("Once upon", " a time"));
        var pieces = new List<string>();

        var error = await Assert.ThrowsAsync<ChatReplyException>(() => Collect(Engine().ReplyAsync("story", TestContext.Current.CancellationToken), pieces));

        Assert.Contains("stopped mid-way", error.Message);
        Assert.Equal("Once upon a time", string.Concat(pieces));
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task A_stream_that_ends_without_finishing_is_reported_as_cut()
    {
        _server.Then(ReplyThenEnd("Once upon"));

        var error = await Assert.ThrowsAsync<ChatReplyException>(() => Collect(Engine().ReplyAsync("story", TestContext.Current.CancellationToken)));

        Assert.Contains("stopped mid-way", error.Message);
    }

    [Fact]
    public async Task A_stream_that_stalls_mid_reply_times_out_with_one_line()
    {
        // A first reply warms the process, so the short timeout below only ever meets the stall.
        await Collect(Engine().ReplyAsync("warm up", TestContext.Current.CancellationToken));
        _server.Then(ReplyThenStall("Once upon"));
        var engine = Engine(s => s with { Timeout = TimeSpan.FromSeconds(1), MaxRetries = 0 });

        var error = await Assert.ThrowsAsync<ChatReplyException>(() => Collect(engine.ReplyAsync("story", TestContext.Current.CancellationToken)));

        Assert.Equal("the reply stopped mid-way: nothing more arrived within 1 s", error.Message);
        Assert.Equal(2, await _server.ArrivedOnceAsync(2));
    }

    [Fact]
    public async Task No_answer_before_the_first_token_is_retried_then_given_up()
    {
        _server.Fallback = ReplyThenStall();
        var engine = Engine(s => s with { Timeout = TimeSpan.FromSeconds(1), MaxRetries = 1 });

        var error = await Assert.ThrowsAsync<ChatReplyException>(() => Collect(engine.ReplyAsync("hi", TestContext.Current.CancellationToken)));

        Assert.Contains("no answer from the chat endpoint", error.Message);
        Assert.Contains("gave up after 2 attempts", error.Message);
        Assert.Equal(2, await _server.ArrivedOnceAsync(2));
    }

    [Fact]
    public async Task Cancelling_the_reply_aborts_the_request_on_the_server()
    {
        _server.Then(Stream(Enumerable.Range(0, 50).Select(i => Chunk(content: $" word{i}")).ToArray(), pause: TimeSpan.FromMilliseconds(50)));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var pieces = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in Engine().ReplyAsync("talk", cancel.Token))
                if (++pieces == 2) cancel.Cancel();
        });

        await _server.RequestAborted.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(2, pieces);
    }

    [Fact]
    public async Task An_unreachable_endpoint_is_one_line_naming_it()
    {
        var port = _server.BaseUrl.Split(':')[2].Split('/')[0];
        await _server.DisposeAsync();
        _server = await FakeChatServer.StartAsync(); // keep DisposeAsync happy
        var engine = Engine(s => s with { BaseUrl = $"http://127.0.0.1:{port}/v1", MaxRetries = 0 });

        var error = await Assert.ThrowsAsync<ChatReplyException>(() => Collect(engine.ReplyAsync("hi", TestContext.Current.CancellationToken)));

        Assert.StartsWith($"cannot reach the chat endpoint 127.0.0.1:{port}", error.Message);
    }

    internal static string? ContentOf(System.Text.Json.Nodes.JsonNode? message) =>
        message?["content"] switch
        {
            System.Text.Json.Nodes.JsonValue v => (string?)v,
            System.Text.Json.Nodes.JsonArray parts => string.Concat(parts.Select(p => (string?)p?["text"])),
            _ => null,
        };
}

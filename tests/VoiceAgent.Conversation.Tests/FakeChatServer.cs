using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace VoiceAgent.Conversation.Tests;

/// <summary>One request as the server saw it.</summary>
public sealed record ChatRequest(JsonNode Body, string? Authorization)
{
    public JsonArray Messages => Body["messages"]!.AsArray();
}

/// <summary>
/// An OpenAI-compatible chat endpoint on Kestrel (127.0.0.1, a free port): <c>POST
/// /v1/chat/completions</c> with <c>stream: true</c> answered by scripted behaviours, one per
/// request, as server-sent events. Records every request and notices when a client aborts one.
/// </summary>
public sealed class FakeChatServer : IAsyncDisposable
{
    public delegate Task Behaviour(HttpContext context, ChatRequest request);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Behaviour> _script = new();
    private readonly ConcurrentQueue<ChatRequest> _requests = new();
    private readonly TaskCompletionSource _aborted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FakeChatServer(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<ChatRequest> Requests => _requests.ToList();

    /// <summary>Chat requests that reached the server, counted as they arrive (before their body is
    /// read: a client that gives up on an attempt may go away before that).</summary>
    public int Arrived => _arrived;

    private int _arrived;

    /// <summary><see cref="Arrived"/> once it reaches <paramref name="count"/> (or after a few seconds).</summary>
    public async Task<int> ArrivedOnceAsync(int count)
    {
        for (var waited = 0; _arrived < count && waited < 5000; waited += 20) await Task.Delay(20);
        return _arrived;
    }

    /// <summary>Completes when a client drops a request while the server is still answering it.</summary>
    public Task RequestAborted => _aborted.Task;

    /// <summary>What the server answers when the script is empty.</summary>
    public Behaviour Fallback { get; set; } = Reply("Fine, thanks.");

    public static async Task<FakeChatServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeChatServer(app);
        app.MapPost("/v1/chat/completions", server.Handle);
        app.MapGet("/v1/models", server.ListModels);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = address.TrimEnd('/') + "/v1";
        return server;
    }

    /// <summary>Queues the answers to the next requests, in order.</summary>
    public FakeChatServer Then(params Behaviour[] behaviours)
    {
        foreach (var behaviour in behaviours) _script.Enqueue(behaviour);
        return this;
    }

    /// <summary>Status of <c>GET /v1/models</c> (the warm-up's request).</summary>
    public int ModelListStatus { get; set; } = 200;

    public int ModelListRequests => _modelListRequests;

    private int _modelListRequests;

    /// <summary>The Authorization header of the last <c>GET /v1/models</c>.</summary>
    public string? LastModelListAuthorization { get; private set; }

    private async Task ListModels(HttpContext context)
    {
        Interlocked.Increment(ref _modelListRequests);
        LastModelListAuthorization = context.Request.Headers.Authorization.ToString();
        if (ModelListStatus != 200)
        {
            await Status(ModelListStatus, "refused")(context, new ChatRequest(new JsonObject(), null));
            return;
        }
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("""{"object":"list","data":[{"id":"test-model","object":"model","created":1700000000,"owned_by":"test"}]}""");
    }

    private async Task Handle(HttpContext context)
    {
        Interlocked.Increment(ref _arrived);
        var body = await JsonNode.ParseAsync(context.Request.Body);
        var request = new ChatRequest(body!, context.Request.Headers.Authorization.ToString());
        _requests.Enqueue(request);
        context.RequestAborted.Register(() => _aborted.TrySetResult());
        var behaviour = _script.TryDequeue(out var next) ? next : Fallback;
        try
        {
            await behaviour(context, request);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away: that is what some tests are about.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    // ---- behaviours ----

    /// <summary>Streams the pieces as content deltas, then a stop chunk and [DONE].</summary>
    public static Behaviour Reply(params string[] pieces) => Stream(pieces.Select(p => Chunk(content: p)).ToArray());

    /// <summary>Streams the chunks (with an optional pause before each), then finishes properly.</summary>
    public static Behaviour Stream(string[] chunks, TimeSpan? pause = null, string finish = "stop") => async (context, _) =>
    {
        await BeginEvents(context);
        foreach (var chunk in chunks)
        {
            if (pause is { } wait) await Task.Delay(wait, context.RequestAborted);
            await Event(context, chunk);
        }
        await Event(context, Chunk(finish: finish));
        await Event(context, "[DONE]");
    };

    /// <summary>Streams the pieces, then drops the connection without finishing.</summary>
    public static Behaviour ReplyThenDrop(params string[] pieces) => async (context, _) =>
    {
        await BeginEvents(context);
        foreach (var piece in pieces) await Event(context, Chunk(content: piece));
        await Task.Delay(50);
        context.Abort();
    };

    /// <summary>Streams the pieces, then ends the response cleanly but without a finish reason or [DONE].</summary>
    public static Behaviour ReplyThenEnd(params string[] pieces) => async (context, _) =>
    {
        await BeginEvents(context);
        foreach (var piece in pieces) await Event(context, Chunk(content: piece));
    };

    /// <summary>Streams the pieces, then sends nothing more until the client gives up.</summary>
    public static Behaviour ReplyThenStall(params string[] pieces) => async (context, _) =>
    {
        await BeginEvents(context);
        foreach (var piece in pieces) await Event(context, Chunk(content: piece));
        await Task.Delay(Timeout.Infinite, context.RequestAborted);
    };

    /// <summary>Answers with an HTTP error in the OpenAI error shape.</summary>
    public static Behaviour Status(int status, string message, string? retryAfter = null) => async (context, _) =>
    {
        context.Response.StatusCode = status;
        if (retryAfter is not null) context.Response.Headers.RetryAfter = retryAfter;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = "test" } }.ToJsonString());
    };

    /// <summary>One chat.completion.chunk event body.</summary>
    public static string Chunk(string? content = null, string? reasoning = null, JsonArray? toolCalls = null, string? finish = null)
    {
        var delta = new JsonObject { ["role"] = "assistant" };
        if (content is not null) delta["content"] = content;
        if (reasoning is not null) delta["reasoning_content"] = reasoning;
        if (toolCalls is not null) delta["tool_calls"] = toolCalls;
        return new JsonObject
        {
            ["id"] = "chatcmpl-test",
            ["object"] = "chat.completion.chunk",
            ["created"] = 1_700_000_000,
            ["model"] = "test-model",
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["delta"] = delta,
                ["finish_reason"] = finish,
            }),
        }.ToJsonString();
    }

    /// <summary>A tool_calls delta asking for one function call.</summary>
    public static string ToolCallChunk(string callId, string name, string arguments) =>
        Chunk(toolCalls: new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["id"] = callId,
            ["type"] = "function",
            ["function"] = new JsonObject { ["name"] = name, ["arguments"] = arguments },
        }));

    private static async Task BeginEvents(HttpContext context)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    private static async Task Event(HttpContext context, string data)
    {
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes($"data: {data}\n\n"), context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }
}

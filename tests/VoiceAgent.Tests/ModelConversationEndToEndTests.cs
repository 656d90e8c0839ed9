using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VoiceAgent.Configuration;
using VoiceAgent.Hosting;
using VoiceAgent.TestSupport;
using static VoiceAgent.TestSupport.SessionLogFiles;

namespace VoiceAgent.Tests;

/// <summary>
/// The whole assistant against an OpenAI-compatible chat server over real HTTP (server-sent
/// events): the model's reply streams into speech through the embedded TTS server, and after an
/// interruption the next request carries only what was heard.
/// </summary>
public class ModelConversationEndToEndTests
{
    private const string LongReply =
        "Here is a fairly long answer so that there is time to interrupt it. It goes on about the weather, the sea and the mountains. " +
        "It keeps talking about rivers and forests and cities for quite a while. Then it talks about music, books and films, and it still does not stop. " +
        "Finally it ends with a summary that nobody should hear.";

    [Fact]
    public async Task A_model_reply_is_spoken_and_an_interruption_leaves_only_the_heard_words_in_history()
    {
        await using var model = await ChatServer.StartAsync(LongReply);
        var sessions = Directory.CreateTempSubdirectory("sessions-").FullName;
        var config = DefaultConfig.Load(overrides:
        [
            "audio.input=none",
            "audio.output=none",
            "tts.endpoint=embedded",
            "conversation.provider=openai",
            $"conversation.base-url={model.BaseUrl}",
            "conversation.model=test-model",
            $"extensions.session-log.folder={sessions}",
        ]);
        var input = new ScriptedInput();
        var console = new RecordingConsole();
        using var host = VoiceAgentHost.Build(config, new ConsoleIo(input, console.Console, EchoTypedLines: true), handleCtrlC: false);
        var running = host.RunAsync(TestContext.Current.CancellationToken);

        input.Type("tell me everything");
        await console.WaitFor(t => t.Contains("Here is a fairly long answer"), "the model's reply");
        // Speech has started (playback reports it) before the user cuts in.
        await WaitForLog(sessions, "\"event\":\"PlaybackStarted\"");
        await Task.Delay(2500, TestContext.Current.CancellationToken);
        input.Type("stop there");
        await console.WaitFor(t => t.Contains("⏸ interrupted"), "the interruption");
        await WaitFor(() => model.Requests.Count >= 2, "the second request");
        input.Type("/quit");
        await running.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);

        var second = model.Requests.ElementAt(1)["messages"]!.AsArray();
        var assistant = second.Single(m => (string?)m!["role"] == "assistant")!;
        var kept = (string)assistant["content"]!;
        Assert.StartsWith("Here is", kept);
        Assert.EndsWith("…", kept);
        Assert.DoesNotContain("summary that nobody should hear", kept);
        Assert.True(kept.Length < LongReply.Length / 2, $"history kept too much: {kept}");
        Assert.Equal("stop there", (string?)second.Last()!["content"]);

        var log = await File.ReadAllTextAsync(Directory.GetFiles(sessions, "*.jsonl").Single(), TestContext.Current.CancellationToken);
        Assert.Contains("\"event\":\"BargeIn\"", log);
        Assert.Contains("\"event\":\"PlaybackStopped\"", log);
        Assert.Contains("\"event\":\"SpeechMetrics\"", log);
    }

    /// <summary>A minimal OpenAI-compatible chat server: streams a fixed reply word by word as SSE
    /// chunks and records every request body.</summary>
    private sealed class ChatServer : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private ChatServer(WebApplication app, string baseUrl)
        {
            _app = app;
            BaseUrl = baseUrl;
        }

        public string BaseUrl { get; }

        public ConcurrentQueue<JsonNode> Requests { get; } = new();

        public static async Task<ChatServer> StartAsync(string reply)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            ChatServer? server = null;
            app.MapGet("/v1/models", () => Results.Json(new { data = new[] { new { id = "test-model", @object = "model" } } }));
            app.MapPost("/v1/chat/completions", async (HttpContext context) =>
            {
                var body = await JsonNode.ParseAsync(context.Request.Body);
                server!.Requests.Enqueue(body!);
                context.Response.ContentType = "text/event-stream";
                var words = reply.Split(' ');
                try
                {
                    for (var i = 0; i < words.Length; i++)
                    {
                        var chunk = new
                        {
                            id = "c1", @object = "chat.completion.chunk", created = 0, model = "test-model",
                            choices = new[] { new { index = 0, delta = new { content = (i == 0 ? "" : " ") + words[i] }, finish_reason = (string?)null } },
                        };
                        await context.Response.WriteAsync($"data: {JsonSerializer.Serialize(chunk)}\n\n", context.RequestAborted);
                        await context.Response.Body.FlushAsync(context.RequestAborted);
                        await Task.Delay(40, context.RequestAborted);
                    }
                    await context.Response.WriteAsync("data: [DONE]\n\n", context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    // The client cancelled the reply (barge-in).
                }
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            server = new ChatServer(app, address + "/v1");
            return server;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}

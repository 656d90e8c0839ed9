using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VoiceAgent.Audio;
using VoiceAgent.Dsp;

namespace VoiceAgent.Listening.Tests;

/// <summary>What the server received in one transcription request.</summary>
internal sealed record TranscriptionRequest(string? Authorization, string Model, string? Language, string FileName, WavAudio Audio);

/// <summary>
/// A real HTTP server on loopback that speaks the OpenAI transcription API: it parses the
/// multipart form and the WAV inside it, records the request and answers with
/// <see cref="Answer"/> (or an error status when <see cref="FailWith"/> is set).
/// </summary>
internal sealed class TranscriptionServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    public List<TranscriptionRequest> Requests { get; } = [];

    public string Answer { get; set; } = "ask not what your country can do for you";

    public int? FailWith { get; set; }

    public Uri BaseUrl { get; private set; } = null!;

    private TranscriptionServer()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapPost("/v1/audio/transcriptions", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            var file = form.Files["file"];
            if (file is null) return Results.BadRequest(new { error = new { message = "no file" } });
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer);
            lock (Requests)
            {
                Requests.Add(new TranscriptionRequest(
                    request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null,
                    form["model"].ToString(),
                    form["language"].ToString() is { Length: > 0 } lang ? lang : null,
                    file.FileName,
                    WavFile.Parse(buffer.ToArray())));
            }
            return FailWith is { } status
                ? Results.Json(new { error = new { message = "model overloaded" } }, statusCode: status)
                : Results.Json(new { text = " " + Answer + " " });
        });
    }

    public static async Task<TranscriptionServer> StartAsync()
    {
        var server = new TranscriptionServer();
        await server._app.StartAsync();
        var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VoiceAgent.TtsServer.Audio;
using VoiceAgent.TtsServer.Protocol;
using VoiceAgent.TtsServer.Synthesis;
using VoiceAgent.TtsServer.Voices;

namespace VoiceAgent.TtsServer;

/// <summary>
/// The local Telnyx-compatible TTS server: Kestrel serving the WebSocket endpoint
/// <c>/v2/text-to-speech/speech</c>, speaking with espeak-ng. Runs standalone or inside another
/// host: <c>await using var server = new TtsServerHost(options); var uri = await server.StartAsync();</c>
/// </summary>
public sealed class TtsServerHost : IAsyncDisposable
{
    public const string SpeechPath = "/v2/text-to-speech/speech";

    private readonly TtsServerOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;
    private int _activeSessions;

    public TtsServerHost(TtsServerOptions options, ILoggerFactory? loggerFactory = null)
    {
        _options = options;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
    }

    /// <summary>ws://HOST:PORT/v2/text-to-speech/speech once started.</summary>
    public Uri? SpeechUri { get; private set; }

    /// <summary>Sessions currently connected.</summary>
    public int ActiveSessions => Volatile.Read(ref _activeSessions);

    /// <summary>The voices clients can name (espeak.en-us, …), once started.</summary>
    public VoiceCatalog? Voices { get; private set; }

    /// <summary>Loads espeak-ng, binds and starts serving; returns the WebSocket URI to connect to.
    /// Throws <see cref="SpeechEngineUnavailableException"/> (what to install) or an
    /// <see cref="ArgumentException"/> (which setting is wrong) when it cannot.</summary>
    public async Task<Uri> StartAsync(CancellationToken cancellation = default)
    {
        if (_app is not null) throw new InvalidOperationException("The TTS server is already started.");
        Validate(_options);
        var worker = SynthesisWorker.Shared;
        var engine = await worker.Engine.WaitAsync(cancellation);
        var voices = new VoiceCatalog(engine.Voices, _options.Provider, _options.DefaultVoice, _options.VoiceAliases);
        var services = new ServerServices(_options, worker, engine.SampleRate, voices,
            _options.Cache ? new AudioCache(_options.CacheBytes) : null,
            _loggerFactory.CreateLogger("VoiceAgent.TtsServer"));

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(_loggerFactory);
        builder.WebHost.UseUrls($"http://{HostForUrl(_options.Host)}:{_options.Port}");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestHeadersTotalSize = 32 * 1024);
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.Map(SpeechPath, context => HandleAsync(context, services));

        await app.StartAsync(cancellation);
        _app = app;
        Voices = voices;
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var bound = new Uri(address);
        SpeechUri = new UriBuilder("ws", bound.Host, bound.Port, SpeechPath).Uri;
        return SpeechUri;
    }

    private async Task HandleAsync(HttpContext context, ServerServices services)
    {
        if (!IsAuthorized(context.Request))
        {
            await RefuseAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized",
                "Missing or invalid API key: send the header Authorization: Bearer <key>.");
            return;
        }
        var settings = SessionSettings.FromQuery(context.Request.Query, services.Voices, _options, out var status, out var problem);
        if (settings is null)
        {
            await RefuseAsync(context, status, status == 403 ? "Forbidden" : "Invalid Parameter", problem);
            return;
        }
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, "WebSocket Required",
                $"{SpeechPath} speaks the streaming protocol: connect with a WebSocket (GET with Upgrade: websocket).");
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        Interlocked.Increment(ref _activeSessions);
        try
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, context.RequestAborted);
            await new TtsSession(socket, settings, services).RunAsync(stop.Token);
        }
        finally
        {
            Interlocked.Decrement(ref _activeSessions);
        }
    }

    private bool IsAuthorized(HttpRequest request)
    {
        if (string.IsNullOrEmpty(_options.ApiKey)) return true;
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return false;
        return CryptographicOperations.FixedTimeEquals(
            Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()), Encoding.UTF8.GetBytes(_options.ApiKey));
    }

    /// <summary>Refuses before the upgrade, with Telnyx's error body shape.</summary>
    private static Task RefuseAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var body = JsonSerializer.Serialize(new { errors = new[] { new { code = status.ToString(), title, detail } } }, BodyJson);
        return context.Response.WriteAsync(body);
    }

    private static readonly JsonSerializerOptions BodyJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static void Validate(TtsServerOptions o)
    {
        if (o.Port is < 0 or > 65535) throw new ArgumentException($"tts-server.port {o.Port} is not a port number (0 to 65535; 0 picks a free port).");
        if (o.MaxFrameBytes < 64) throw new ArgumentException($"tts-server.max-frame-bytes {o.MaxFrameBytes} is too small: use at least 64.");
        if (o.MaxBufferChars < 1) throw new ArgumentException($"tts-server.max-buffer-chars {o.MaxBufferChars} must be positive.");
        if (o.ChunkBytes < 256) throw new ArgumentException($"tts-server.chunk-bytes {o.ChunkBytes} is too small: use at least 256.");
        if (o.Mp3BitrateKbps is < 8 or > 320) throw new ArgumentException($"tts-server.mp3-bitrate {o.Mp3BitrateKbps} is out of range: use 8 to 320 kbps, e.g. 48.");
        if (string.IsNullOrWhiteSpace(o.Provider) || o.Provider.Contains('.')) throw new ArgumentException($"tts-server.provider '{o.Provider}' must be a name without dots, e.g. espeak.");
    }

    private static string HostForUrl(string host) =>
        host.Contains(':') && !host.StartsWith('[') ? $"[{host}]" : host;

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
        _stopping.Dispose();
    }
}

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
using VoiceAgent.TtsServer.Synthesis.Processes;
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
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stopping = new();
    // Half the cores for audio work of any kind (one core resamples and encodes far faster than
    // real time, for hundreds of sessions), besides a thread for first audio: the rest of the
    // cores stay with synthesis, which first audio waits for.
    private readonly AudioWorkLane _audioWork = new(Math.Max(1, Environment.ProcessorCount / 2));
    private WebApplication? _app;
    private int _activeSessions;
    private int _sessionIds;
    private int _atLimit;
    private int _disposed;

    public TtsServerHost(TtsServerOptions options, ILoggerFactory? loggerFactory = null)
    {
        _options = options;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _log = _loggerFactory.CreateLogger("VoiceAgent.TtsServer");
    }

    /// <summary>Set when the server serves other machines without a key (allowed explicitly):
    /// the one line to show the operator.</summary>
    public string? ExposureWarning { get; private set; }

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
        var address = ListenAddress.Parse(_options.Host);
        ExposureWarning = ListenAddress.CheckExposure(address, _options);
        var synthesizer = await StartSynthesisAsync(cancellation);
        var voices = new VoiceCatalog(synthesizer.Voices, _options.Provider, _options.DefaultVoice, _options.VoiceAliases);
        var services = new ServerServices(_options, synthesizer, synthesizer.SampleRate, voices,
            _options.Cache && _options.CacheBytes > 0 ? new AudioCache(_options.CacheBytes) : null,
            _audioWork, _log);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        // Kestrel's own logging stays off (it would report every request); the server logs
        // sessions, refusals and errors itself through _loggerFactory.
        builder.Logging.ClearProviders();
        // The process's signals belong to whoever hosts this server (the command line stops it).
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, PassiveLifetime>();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(address, _options.Port);
            k.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            // Idle connections that never become sessions are shed; sessions are capped in HandleAsync
            // with a 503, and raw connections beyond twice that are closed at once.
            k.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            k.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(30);
            k.Limits.MaxConcurrentConnections = 2L * _options.MaxSessions + 16;
        });
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(3));
        var app = builder.Build();
        app.Map(SpeechPath, context => HandleAsync(context, services));

        try
        {
            await app.StartAsync(cancellation);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            await app.DisposeAsync();
            (Synthesizer as SynthesisProcessPool)?.Dispose();
            _audioWork.Dispose();
            throw ListenAddress.DescribeBindFailure(e, _options);
        }
        _app = app;
        Voices = voices;
        var bound = new Uri(app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.First());
        SpeechUri = new UriBuilder("ws", bound.Host, bound.Port, SpeechPath).Uri;
        return SpeechUri;
    }

    /// <summary>Where segments are synthesized: worker processes, or (when the worker program is
    /// not installed beside this one) the one in-process engine.</summary>
    internal ISynthesizer? Synthesizer { get; private set; }

    private async Task<ISynthesizer> StartSynthesisAsync(CancellationToken cancellation)
    {
        if (_options is { SingleSession: true, SynthesisProcesses: 0 }) return await InProcessAsync(cancellation);
        var size = _options.SynthesisProcesses > 0 ? _options.SynthesisProcesses : SynthesisProcessPool.DefaultSize;
        var pool = await SynthesisProcessPool.StartAsync(size, _options.SynthesisStallTimeout, _log, cancellation);
        if (pool is not null)
        {
            _log.LogDebug("TTS server synthesizes in {Count} worker processes", pool.Size);
            Synthesizer = pool;
            return pool;
        }
        _log.LogWarning("TTS server: the synthesis worker ({File}) is not installed beside this program; synthesizing in-process on one core", "VoiceAgent.TtsServer.Worker.dll");
        return await InProcessAsync(cancellation);
    }

    private async Task<ISynthesizer> InProcessAsync(CancellationToken cancellation)
    {
        var worker = SynthesisWorker.Shared;
        await worker.Engine.WaitAsync(cancellation);
        Synthesizer = worker;
        return worker;
    }

    private async Task HandleAsync(HttpContext context, ServerServices services)
    {
        if (!IsAuthorized(context.Request))
        {
            _log.LogInformation("TTS server refused {Remote} with HTTP 401: missing or wrong API key", context.Connection.RemoteIpAddress);
            await RefuseAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized",
                "Missing or invalid API key: send the header Authorization: Bearer <key>.");
            return;
        }
        var settings = SessionSettings.FromQuery(context.Request.Query, services.Voices, _options, out var status, out var problem);
        if (settings is null)
        {
            _log.LogInformation("TTS server refused {Remote} with HTTP {Status}: {Problem}", context.Connection.RemoteIpAddress, status, problem);
            await RefuseAsync(context, status, status == 403 ? "Forbidden" : "Invalid Parameter", problem);
            return;
        }
        if (!WebSocketUpgrade.IsRequest(context.Request))
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, "WebSocket Required",
                $"{SpeechPath} speaks the streaming protocol: connect with a WebSocket (GET with Upgrade: websocket).");
            return;
        }

        if (Interlocked.Increment(ref _activeSessions) > _options.MaxSessions)
        {
            Interlocked.Decrement(ref _activeSessions);
            // Logged once per busy spell, not per refusal: a flood must not flood the log too.
            if (Interlocked.Exchange(ref _atLimit, 1) == 0)
                _log.LogWarning("TTS server busy: {Limit} sessions (tts-server.max-sessions) are open; refusing new ones with HTTP 503", _options.MaxSessions);
            context.Response.Headers.RetryAfter = "1";
            await RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, "Too Many Sessions",
                $"This server serves at most {_options.MaxSessions} sessions at once; try again shortly.");
            return;
        }
        var id = Interlocked.Increment(ref _sessionIds);
        try
        {
            var (socket, transport) = await WebSocketUpgrade.AcceptAsync(context, KeepAliveInterval);
            using var _ = socket;
            _log.LogInformation("TTS session {Session} opened from {Remote}: voice {Voice}, {Format} at {Rate} Hz",
                id, context.Connection.RemoteIpAddress, settings.Voice.Id, AudioFormats.Name(settings.Audio.Format), settings.Audio.SampleRate);
            await new TtsSession(id, socket, settings, services).RunAsync(_stopping.Token);
            if (socket.State == System.Net.WebSockets.WebSocketState.Closed) transport.CloseNow(); // both close frames went through
            socket.Dispose();
            await transport.Closed.WaitAsync(TimeSpan.FromSeconds(3)); // the last frames reach the client first
        }
        catch (Exception e)
        {
            // The session handles its own failures; this is the upgrade itself failing.
            _log.LogInformation("TTS session {Session} could not start: {Reason}", id, e.Message);
        }
        finally
        {
            if (Interlocked.Decrement(ref _activeSessions) < _options.MaxSessions) Volatile.Write(ref _atLimit, 0);
        }
    }

    /// <summary>Pings keep idle sockets alive through proxies and reveal dead peers.</summary>
    private static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(30);

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
        if (o.MaxSessions < 1) throw new ArgumentException($"tts-server.max-sessions {o.MaxSessions} must be at least 1.");
        if (o.SendTimeout <= TimeSpan.Zero) throw new ArgumentException("tts-server.send-timeout must be positive, e.g. 10s.");
        if (o.MaxSegmentChars < 20) throw new ArgumentException($"tts-server.max-segment-chars {o.MaxSegmentChars} is too small: use at least 20.");
        if (o.MaxSegmentAudio <= TimeSpan.Zero) throw new ArgumentException("tts-server.max-segment-audio must be positive, e.g. 120s.");
        if (o.SynthesisProcesses is < 0 or > 256) throw new ArgumentException($"tts-server.synthesis-processes {o.SynthesisProcesses} is out of range: use 0 (one per core) to 256.");
        if (o.MaxQueuedChars < 1) throw new ArgumentException($"tts-server.max-queued-chars {o.MaxQueuedChars} must be positive.");
        if (o.InactivityTimeout <= TimeSpan.Zero || o.InactivityTimeout > o.MaxInactivityTimeout)
            throw new ArgumentException($"tts-server.inactivity-timeout {o.InactivityTimeout.TotalSeconds:0.###} s must be positive and at most tts-server.max-inactivity-timeout ({o.MaxInactivityTimeout.TotalSeconds:0.###} s).");
    }

    /// <summary>Leaves the process's signals alone: the web host inside this server must not stop
    /// on Ctrl+C or SIGTERM by itself (whoever runs the server decides, and closes sessions with 1001).</summary>
    private sealed class PassiveLifetime : Microsoft.Extensions.Hosting.IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Stops serving: every session is closed with 1001 ("server stopping"), clients get
    /// a moment to answer, then the listener stops.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stopping.CancelAsync();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
        (Synthesizer as SynthesisProcessPool)?.Dispose();
        _audioWork.Dispose();
        _stopping.Dispose();
    }
}

using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VoiceAgent.Dsp;
using VoiceAgent.Telnyx;
using VoiceAgent.TestSupport;
using VoiceAgent.TtsServer.Audio;

namespace VoiceAgent.Speech.Tests;

/// <summary>
/// A Kestrel WebSocket server on 127.0.0.1 that behaves like the live Telnyx TTS service as
/// described in the protocol reference: Bearer auth at the upgrade, handshake first, sentence
/// buffering, flush, end of sequence with a final frame and close 1000, streamed or concatenated
/// frames, linear16 or MP3 (one file per segment, each with an ID3 tag), error frames, and
/// misbehaviours a client must survive. Its "synthesizer" is a tone whose length depends only
/// on the text, so tests know exactly what audio to expect.
/// </summary>
internal enum DropMode
{
    None,
    /// <summary>A close frame with 1001 (after the frames already sent): deterministic.</summary>
    CloseGoingAway,
    /// <summary>A TCP reset: frames in flight may be lost.</summary>
    Reset,
}

internal sealed class FakeTelnyxServer : IAsyncDisposable
{
    public const string Path = "/v2/text-to-speech/speech";
    public const string Key = "test-key";
    public const int SamplesPerLetter = 120;
    public const double ToneHz = 440;

    private readonly WebApplication _app;
    private int _connections;

    public FakeTelnyxServer(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    /// <summary>Audio chunks as one text-bearing frame per segment (Polly/Azure) instead of streamed chunks.</summary>
    public bool Concatenated { get; set; }

    /// <summary>Bytes per streamed audio frame (odd values split samples across frames).</summary>
    public int ChunkBytes { get; set; } = 4000;

    /// <summary>Send this error frame (then close) once the first segment is synthesized.</summary>
    public string? ErrorAfterFirstSegment { get; set; }

    /// <summary>End the first connection right after its first segment, mid-turn.</summary>
    public DropMode DropFirstConnection { get; set; }

    /// <summary>After a force frame, still send this many audio frames of the cancelled segment.</summary>
    public int LateFramesAfterForce { get; set; }

    /// <summary>Wait this long before answering the upgrade (a slow network), for pre-warm tests.</summary>
    public TimeSpan UpgradeDelay { get; set; }

    /// <summary>Answer in this format whatever was asked (like voices that ignore audio_format).</summary>
    public string? ForcedFormat { get; set; }

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Client frames per connection, in the order received.</summary>
    public ConcurrentDictionary<int, ConcurrentQueue<string>> Received { get; } = new();

    public ConcurrentQueue<string> Queries { get; } = new();

    public static async Task<FakeTelnyxServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeTelnyxServer(app);
        app.UseWebSockets();
        app.Map(Path, server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(address.Replace("http://", "ws://") + Path);
        return server;
    }

    /// <summary>One segment as an MP3 file like the live service's: LAME-encoded with its Info
    /// frame (encoder delay and padding), optionally after an ID3v2 tag.</summary>
    public static byte[] Mp3(short[] pcm, int sampleRate, bool withId3Tag)
    {
        var mp3 = Mp3Encoder.Encode(pcm, sampleRate, 48);
        return withId3Tag ? [.. Id3Tag.Bytes, .. mp3] : mp3;
    }

    /// <summary>The audio this server makes for a segment, at a rate.</summary>
    public static short[] Tone(string segment, int sampleRate)
    {
        var letters = segment.Count(char.IsLetterOrDigit);
        return Signals.Sine(ToneHz, sampleRate, (double)letters * SamplesPerLetter / 24_000, amplitude: 0.4);
    }

    private async Task HandleAsync(HttpContext context)
    {
        Queries.Enqueue(context.Request.QueryString.Value ?? "");
        if (UpgradeDelay > TimeSpan.Zero) await Task.Delay(UpgradeDelay);
        if (context.Request.Headers.Authorization.ToString() != "Bearer " + Key)
        {
            context.Response.StatusCode = 401;
            await context.Response.WriteAsync("""{"errors":[{"code":"10009","title":"Authentication failed"}]}""");
            return;
        }
        var voice = context.Request.Query["voice"].ToString();
        if (!voice.StartsWith("Telnyx.", StringComparison.Ordinal))
        {
            context.Response.StatusCode = 403;
            return;
        }
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }
        var format = ForcedFormat ?? context.Request.Query["audio_format"].ToString();
        var rate = int.Parse(context.Request.Query["sample_rate"].ToString());
        var id = Interlocked.Increment(ref _connections);
        var log = Received.GetOrAdd(id, _ => new ConcurrentQueue<string>());
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        await new Session(this, socket, log, format, rate, id).RunAsync(context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        // Sockets a client left open (a warm one) must not hold the test up.
        using var quick = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await _app.StopAsync(quick.Token);
        await _app.DisposeAsync();
    }

    private sealed class Session(FakeTelnyxServer server, WebSocket socket, ConcurrentQueue<string> log, string format, int rate, int id)
    {
        private readonly StringBuilder _buffer = new();
        private bool _handshaken;
        private int _segments;

        public async Task RunAsync(CancellationToken ct)
        {
            var bytes = new byte[64 * 1024];
            try
            {
                while (socket.State == WebSocketState.Open)
                {
                    var count = 0;
                    ValueWebSocketReceiveResult result;
                    do
                    {
                        result = await socket.ReceiveAsync(bytes.AsMemory(count), ct);
                        count += result.Count;
                    } while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
                    if (result.MessageType == WebSocketMessageType.Close) return;

                    log.Enqueue(Encoding.UTF8.GetString(bytes, 0, count));
                    var frame = ClientFrame.Parse(bytes.AsSpan(0, count), out var problem)
                                ?? throw new InvalidDataException("the client sent a malformed frame: " + problem);
                    if (!await HandleAsync(frame, ct)) return;
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
        }

        /// <summary>False when the session is over.</summary>
        private async Task<bool> HandleAsync(ClientFrame frame, CancellationToken ct)
        {
            var text = frame.Text;
            if (!_handshaken)
            {
                if (text != " ")
                {
                    await SendAsync(ServerFrame.Failure("Invalid message"), ct);
                    await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, null, ct);
                    return false;
                }
                _handshaken = true;
                return true;
            }
            if (frame.Force)
            {
                _buffer.Clear();
                for (var i = 0; i < server.LateFramesAfterForce; i++)
                    await SendAsync(new ServerFrame(Encode(Tone("late audio", rate), false), null, false), ct);
                return true;
            }
            if (text == "")
            {
                await SynthesizeAsync(_buffer.ToString(), ct);
                _buffer.Clear();
                await SendAsync(ServerFrame.Final, ct);
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                return false;
            }
            if (text is not null && !(string.IsNullOrWhiteSpace(text) && _buffer.Length == 0)) _buffer.Append(text);
            while (TakeSentence(frame.Flush) is { } sentence)
            {
                if (!await SynthesizeAsync(sentence, ct)) return false;
            }
            return true;
        }

        /// <summary>A complete sentence from the buffer (terminator then whitespace), or everything on flush.</summary>
        private string? TakeSentence(bool flush)
        {
            var s = _buffer.ToString();
            for (var i = 0; i < s.Length - 1; i++)
            {
                if (s[i] is '.' or '!' or '?' && char.IsWhiteSpace(s[i + 1]))
                {
                    _buffer.Remove(0, i + 1);
                    return s[..(i + 1)];
                }
            }
            if (flush && !string.IsNullOrWhiteSpace(s))
            {
                _buffer.Clear();
                return s;
            }
            return null;
        }

        private async Task<bool> SynthesizeAsync(string segment, CancellationToken ct)
        {
            var spoken = segment.Trim();
            if (spoken.Length == 0) return true;
            _segments++;
            var audio = Encode(Tone(spoken, rate), withTag: true);
            var first = _segments == 1;
            if (server.Concatenated)
            {
                await SendAsync(ServerFrame.AudioChunk(audio, spoken, cached: false, timeToFirstAudioMs: 12), ct);
            }
            else
            {
                for (var offset = 0; offset < audio.Length; offset += server.ChunkBytes)
                {
                    var piece = audio.AsSpan(offset, Math.Min(server.ChunkBytes, audio.Length - offset)).ToArray();
                    await SendAsync(ServerFrame.AudioChunk(piece, null, cached: false, timeToFirstAudioMs: offset == 0 && first ? 12 : null), ct);
                }
                // Real frames carry unknown fields and no "type"; the client must not care, so this
                // one is written off the contract on purpose.
                await SendRawAsync(new { audio = (string?)null, cached = false, isFinal = false, text = spoken, provider_note = "x" }, ct);
            }

            if (_segments == 1 && server.ErrorAfterFirstSegment is { } error)
            {
                await SendAsync(ServerFrame.Failure(error), ct);
                await socket.CloseAsync(WebSocketCloseStatus.InternalServerError, null, ct);
                return false;
            }
            if (_segments == 1 && id == 1 && server.DropFirstConnection == DropMode.CloseGoingAway)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "going away", ct);
                return false;
            }
            if (_segments == 1 && id == 1 && server.DropFirstConnection == DropMode.Reset)
            {
                socket.Abort(); // frames still in flight may be lost
                return false;
            }
            return true;
        }

        private byte[] Encode(short[] pcm, bool withTag) => format switch
        {
            "mp3" => Mp3(pcm, rate, withTag),
            "wav" => VoiceAgent.Dsp.WavFile.Encode(pcm, rate),
            _ => VoiceAgent.Dsp.Pcm16.ToBytes(pcm),
        };

        private Task SendAsync(ServerFrame frame, CancellationToken ct) =>
            socket.SendAsync(frame.ToJson(), WebSocketMessageType.Text, true, ct);

        private Task SendRawAsync(object frame, CancellationToken ct) =>
            socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(frame), WebSocketMessageType.Text, true, ct);
    }
}

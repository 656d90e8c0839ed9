using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VoiceAgent.TtsServer.Tests;

/// <summary>A received server frame, parsed leniently like a real client.</summary>
public sealed record ServerFrame(string Json)
{
    private readonly JsonObject _node = JsonNode.Parse(Json)!.AsObject();

    public byte[] Audio => _node["audio"] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? Convert.FromBase64String(s) : [];
    public bool HasAudio => Audio.Length > 0;
    public string? Text => _node["text"]?.GetValue<string>();
    public bool IsFinal => _node["isFinal"]?.GetValue<bool>() ?? false;
    public bool? Cached => _node["cached"]?.GetValue<bool>();
    public long? TimeToFirstAudioMs => _node["timeToFirstAudioFrameMs"]?.GetValue<long>();
    public string? Error => _node["error"]?.GetValue<string>();
    public bool Has(string key) => _node.ContainsKey(key);
}

/// <summary>A plain ClientWebSocket speaking the protocol, for the tests.</summary>
public sealed class TtsTestClient : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly ClientWebSocket _socket = new();

    public WebSocket Socket => _socket;

    public static async Task<TtsTestClient> ConnectAsync(Uri server, string query = "", string? apiKey = null)
    {
        var client = new TtsTestClient();
        if (apiKey is not null) client._socket.Options.SetRequestHeader("Authorization", "Bearer " + apiKey);
        client._socket.Options.CollectHttpResponseDetails = true;
        using var timeout = new CancellationTokenSource(Patience);
        var uri = new UriBuilder(server) { Query = query }.Uri;
        await client._socket.ConnectAsync(uri, timeout.Token);
        return client;
    }

    public Task SendAsync(object frame) => SendRawAsync(JsonSerializer.Serialize(frame));

    public async Task SendRawAsync(string text)
    {
        using var timeout = new CancellationTokenSource(Patience);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
    }

    public Task HandshakeAsync(double? speed = null) =>
        speed is null ? SendAsync(new { text = " " }) : SendAsync(new { text = " ", voice_settings = new { voice_speed = speed } });

    /// <summary>The next frame, or null when the server closed.</summary>
    public async Task<ServerFrame?> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                try
                {
                    if (_socket.State == WebSocketState.CloseReceived)
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
                }
                catch (WebSocketException)
                {
                    // The server's close (and its status) arrived; our reply is a courtesy.
                }
                return null;
            }
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage) return new ServerFrame(Encoding.UTF8.GetString(message.ToArray()));
        }
    }

    /// <summary>Every frame until the server closes the socket.</summary>
    public async Task<List<ServerFrame>> ReceiveUntilClosedAsync()
    {
        var frames = new List<ServerFrame>();
        while (await ReceiveAsync() is { } frame) frames.Add(frame);
        return frames;
    }

    /// <summary>Frames up to and including the next final frame.</summary>
    public async Task<List<ServerFrame>> ReceiveUntilFinalAsync()
    {
        var frames = new List<ServerFrame>();
        while (await ReceiveAsync() is { } frame)
        {
            frames.Add(frame);
            if (frame.IsFinal || frame.Error is not null) break;
        }
        return frames;
    }

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;
    public string? CloseDescription => _socket.CloseStatusDescription;

    public void Abort() => _socket.Abort();

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    public static byte[] AudioOf(IEnumerable<ServerFrame> frames) => frames.SelectMany(f => f.Audio).ToArray();
}

using System.Net;
using System.Net.Sockets;
using System.Text;

namespace VoiceAgent.TestSupport;

/// <summary>
/// A test double of a TTS server on loopback that records every WebSocket upgrade request it gets
/// (headers included) and answers each with HTTP 401, so a client stops after one request. Used to
/// see which key, if any, a client sends where.
/// </summary>
public sealed class UpgradeCaptureServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Task _serving;
    private readonly List<string> _requests = [];

    public UpgradeCaptureServer()
    {
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public string Url => $"ws://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/v2/text-to-speech/speech";

    /// <summary>The request heads received so far (request line and headers).</summary>
    public IReadOnlyList<string> Requests { get { lock (_requests) return [.. _requests]; } }

    /// <summary>The value of the Authorization header of each request (null where there was none).</summary>
    public IReadOnlyList<string?> AuthorizationHeaders => Requests.Select(AuthorizationOf).ToList();

    private static string? AuthorizationOf(string request) =>
        request.Split("\r\n")
            .Where(line => line.StartsWith("Authorization:", StringComparison.OrdinalIgnoreCase))
            .Select(line => line["Authorization:".Length..].Trim())
            .FirstOrDefault();

    private async Task ServeAsync()
    {
        while (true)
        {
            using var client = await _listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            var buffer = new byte[8192];
            var request = new StringBuilder();
            while (!request.ToString().Contains("\r\n\r\n"))
            {
                var n = await stream.ReadAsync(buffer);
                if (n == 0) break;
                request.Append(Encoding.ASCII.GetString(buffer, 0, n));
            }
            lock (_requests) _requests.Add(request.ToString());
            await stream.WriteAsync("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        try { await _serving; } catch (Exception) { /* stopped */ }
    }
}

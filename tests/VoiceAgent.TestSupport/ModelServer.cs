using System.Net;
using System.Net.Sockets;

namespace VoiceAgent.TestSupport;

/// <summary>One request the <see cref="ModelServer"/> answered.</summary>
public sealed record ModelRequest(string Path, string? Range);

/// <summary>
/// A small HTTP file server on loopback standing in for a model host (Hugging Face cannot be
/// reached from the tests): serves one file under any path ending in its name, honours
/// <c>Range: bytes=N-</c> requests, and can cut its first answer after a number of bytes.
/// </summary>
public sealed class ModelServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly byte[] _content;
    private readonly string _fileName;
    private readonly Task _serving;
    private readonly List<ModelRequest> _requests = [];
    private int _cutsLeft;

    /// <param name="cutFirstAfter">Drop the connection of the first answer after this many bytes.</param>
    public ModelServer(string fileName, byte[] content, long? cutFirstAfter = null)
    {
        _fileName = fileName;
        _content = content;
        CutAfter = cutFirstAfter;
        _cutsLeft = cutFirstAfter is null ? 0 : 1;
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}/models";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    /// <summary>Give this as the download base URL; the file is at BaseUrl/NAME.</summary>
    public string BaseUrl { get; }

    public long? CutAfter { get; }

    public IReadOnlyList<ModelRequest> Requests
    {
        get { lock (_requests) return _requests.ToList(); }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var range = request.Headers["Range"];
        lock (_requests) _requests.Add(new ModelRequest(request.Url!.AbsolutePath, range));
        try
        {
            if (!request.Url.AbsolutePath.EndsWith("/" + _fileName, StringComparison.Ordinal))
            {
                response.StatusCode = 404;
                response.Close();
                return;
            }
            long from = 0;
            if (range is not null && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
            {
                from = long.Parse(range["bytes=".Length..^1]);
                if (from >= _content.Length)
                {
                    response.StatusCode = 416;
                    response.Close();
                    return;
                }
                response.StatusCode = 206;
                response.Headers["Content-Range"] = $"bytes {from}-{_content.Length - 1}/{_content.Length}";
            }
            response.ContentLength64 = _content.Length - from;
            var cut = Interlocked.Decrement(ref _cutsLeft) >= 0 ? CutAfter : null;
            var end = cut is { } c ? Math.Min(_content.Length, from + c) : _content.Length;
            for (var offset = from; offset < end; offset += 65536)
                await response.OutputStream.WriteAsync(_content.AsMemory((int)offset, (int)Math.Min(65536, end - offset)));
            if (cut is not null)
            {
                await response.OutputStream.FlushAsync();
                response.Abort(); // the connection drops mid-file
                return;
            }
            response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            response.Abort();
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
    }
}

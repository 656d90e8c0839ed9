using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using VoiceAgent.TtsServer;

/// <summary>
/// The TTS server in a process of its own (this benchmark started with "serve"), so its memory,
/// descriptors and CPU can be read from /proc without the clients' own mixed in.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, Uri uri)
    {
        _process = process;
        Uri = uri;
    }

    public Uri Uri { get; }

    public static async Task<ServerProcess> StartAsync()
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") start.ArgumentList.Add(typeof(ServerProcess).Assembly.Location);
        start.ArgumentList.Add("serve");
        var process = Process.Start(start)!;
        var line = await process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("the server process did not start");
        var server = new ServerProcess(process, new Uri(line.Trim()));
        await Task.Delay(500); // let it settle before the baseline is read
        return server;
    }

    /// <summary>The child: serve until standard input closes.</summary>
    public static async Task ServeAsync()
    {
        await using var server = new TtsServerHost(new TtsServerOptions { MaxSessions = 512 });
        Console.WriteLine(await server.StartAsync());
        await Console.In.ReadToEndAsync();
    }

    /// <summary>Resident memory now, in MB.</summary>
    public double RssMb => Status("VmRSS:") / 1024.0;

    /// <summary>The most resident memory the process has had, in MB.</summary>
    public double PeakMb => Status("VmHWM:") / 1024.0;

    public int Descriptors => Directory.GetFiles($"/proc/{_process.Id}/fd").Length;

    /// <summary>User plus system CPU time used so far.</summary>
    public double CpuSeconds
    {
        get
        {
            var fields = File.ReadAllText($"/proc/{_process.Id}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0; // USER_HZ
        }
    }

    /// <summary>Waits until the process has used (almost) no CPU for half a second.</summary>
    public async Task SettleAsync()
    {
        var last = CpuSeconds;
        while (true)
        {
            await Task.Delay(500);
            var now = CpuSeconds;
            if (now - last < 0.02) return;
            last = now;
        }
    }

    private long Status(string key) =>
        long.Parse(File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith(key)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(10_000)) _process.Kill();
        _process.Dispose();
        await Task.CompletedTask;
    }
}

/// <summary>A client session: sends its frames, reads everything until the server closes.</summary>
internal static class BenchmarkSession
{
    public sealed record Result(int Frames, long AudioBytes, int Errors, WebSocketCloseStatus? Close);

    public static async Task<Result> RunAsync(Uri server, string query, IEnumerable<string> frames)
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new UriBuilder(server) { Query = query }.Uri, CancellationToken.None);
        var reading = ReadAllAsync(socket);
        foreach (var frame in frames)
            await socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, CancellationToken.None);
        return await reading;
    }

    private static async Task<Result> ReadAllAsync(ClientWebSocket socket)
    {
        var buffer = new byte[1 << 20];
        int frames = 0, errors = 0;
        long audio = 0;
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (socket.State == WebSocketState.CloseReceived) await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                return new Result(frames, audio, errors, socket.CloseStatus);
            }
            message.Write(buffer, 0, result.Count);
            if (!result.EndOfMessage) continue;
            frames++;
            var json = message.GetBuffer().AsSpan(0, (int)message.Length);
            // Cheap parsing: the audio's base64 length, and whether it is an error frame.
            var text = Encoding.UTF8.GetString(json);
            var audioAt = text.IndexOf("\"audio\":\"", StringComparison.Ordinal);
            if (audioAt >= 0) audio += (text.IndexOf('"', audioAt + 9) - audioAt - 9) * 3L / 4;
            if (text.Contains("\"error\"", StringComparison.Ordinal)) errors++;
            message.SetLength(0);
        }
    }
}

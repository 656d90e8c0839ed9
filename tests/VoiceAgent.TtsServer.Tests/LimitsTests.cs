using System.Net;
using System.Net.WebSockets;
using System.Text;

namespace VoiceAgent.TtsServer.Tests;

/// <summary>What bounds a session's memory, time and count, and the ordinary inputs that once
/// tripped a limit.</summary>
public sealed class LimitsTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const string Query = "voice=espeak.en-us&audio_format=linear16&disable_cache=true";

    private static string LongSentence(int characters)
    {
        var words = "the quick brown fox jumps over the lazy dog and then, much later, it runs away".Split(' ');
        var text = new StringBuilder();
        for (var i = 0; text.Length < characters - 1; i++) text.Append(words[i % words.Length]).Append(' ');
        return text.ToString()[..(characters - 1)].TrimEnd() + ".";
    }

    [Fact]
    public async Task A_long_sentence_is_spoken_in_pieces_of_at_most_max_segment_chars()
    {
        var sentence = LongSentence(2500);
        await using var client = await TtsTestClient.ConnectAsync(server.Uri, Query);
        await client.HandshakeAsync();
        await client.SendAsync(new { text = sentence });
        await client.SendAsync(new { text = "" });
        var frames = await client.ReceiveUntilClosedAsync();

        var pieces = frames.Where(f => f.Text is { Length: > 0 }).Select(f => f.Text!).ToList();
        Assert.True(pieces.Count >= 2500 / 300, $"{pieces.Count} pieces");
        Assert.All(pieces, p => Assert.InRange(p.Length, 1, new TtsServerOptions().MaxSegmentChars));
        // Nothing is lost or repeated: the pieces put together are the sentence.
        Assert.Equal(sentence.Replace(" ", ""), string.Concat(pieces).Replace(" ", ""));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
    }

    [Fact]
    public async Task A_fully_punctuated_frame_longer_than_the_buffer_limit_is_accepted()
    {
        await using var own = await OwnServer.StartAsync(new TtsServerOptions { MaxBufferChars = 2000 });
        var sentences = string.Concat(Enumerable.Range(1, 100).Select(i => $"This is complete sentence number {i}. ")); // ~3800 characters
        await using var client = await TtsTestClient.ConnectAsync(own.Uri, Query);
        await client.HandshakeAsync();
        await client.SendAsync(new { text = sentences });
        var first = await client.ReceiveAsync();
        Assert.True(first is { HasAudio: true }, first?.Json);
        // Unfinished text beyond the limit is still refused, with the right advice.
        await client.SendAsync(new { force = true, text = string.Join(" ", Enumerable.Repeat("word", 500)) });
        var frames = await client.ReceiveUntilClosedAsync();
        Assert.StartsWith("Text buffer full", frames.Last().Error);
        Assert.Contains("add punctuation", frames.Last().Error);
    }

    [Fact]
    public async Task Twenty_thousand_whitespace_keep_alives_leave_the_session_working()
    {
        await using var client = await TtsTestClient.ConnectAsync(server.Uri, Query);
        await client.HandshakeAsync();
        var keepAlive = Encoding.UTF8.GetBytes("""{"text":" "}""");
        for (var i = 0; i < 20_001; i++)
            await client.Socket.SendAsync(keepAlive, WebSocketMessageType.Text, true, CancellationToken.None);
        await client.SendAsync(new { text = "Still awake." });
        await client.SendAsync(new { text = "" });
        var frames = await client.ReceiveUntilClosedAsync();
        Assert.DoesNotContain(frames, f => f.Error is not null);
        Assert.Contains(frames, f => f.Text == "Still awake.");
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
    }

    [Fact]
    public async Task Invalid_utf8_gets_a_1007_close_not_a_reset()
    {
        await using var client = await TtsTestClient.ConnectAsync(server.Uri, Query);
        await client.HandshakeAsync();
        await client.Socket.SendAsync(new byte[] { (byte)'{', 0xC3, 0x28, (byte)'}' }, WebSocketMessageType.Text, true, CancellationToken.None);
        var frames = await client.ReceiveUntilClosedAsync(); // throws on a reset
        Assert.Empty(frames);
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, client.CloseStatus);
        await server.WaitForNoSessionsAsync();
    }

    [Theory]
    [InlineData("voice=espeak.en-us&voice=espeak.de", "voice")]
    [InlineData("audio_format=mp3&audio_format=wav", "audio_format")]
    public async Task A_parameter_given_twice_is_refused_not_merged(string query, string name)
    {
        using var http = new HttpClient();
        var response = await http.GetAsync(new UriBuilder(server.Uri) { Scheme = "http", Query = query }.Uri);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"{name} is given 2 times", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Inactivity_timeout_is_capped_by_the_server()
    {
        await using var own = await OwnServer.StartAsync(new TtsServerOptions { MaxInactivityTimeout = TimeSpan.FromSeconds(60) });
        using var http = new HttpClient();
        var response = await http.GetAsync(new UriBuilder(own.Uri) { Scheme = "http", Query = "inactivity_timeout=61" }.Uri);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("from 1 to 60", await response.Content.ReadAsStringAsync());
        await using var ok = await TtsTestClient.ConnectAsync(own.Uri, "inactivity_timeout=60");
    }

    [Fact]
    public async Task Beyond_max_sessions_a_client_gets_http_503_and_a_freed_place_is_taken_again()
    {
        await using var own = await OwnServer.StartAsync(new TtsServerOptions { MaxSessions = 2 });
        var first = await TtsTestClient.ConnectAsync(own.Uri, Query);
        await using var second = await TtsTestClient.ConnectAsync(own.Uri, Query);

        var third = new ClientWebSocket();
        third.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => third.ConnectAsync(new UriBuilder(own.Uri) { Query = Query }.Uri, CancellationToken.None));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, third.HttpStatusCode);
        third.Dispose();
        await own.Log.WaitForAsync("refusing new ones with HTTP 503");

        await first.SendAsync(new { text = " " });
        await first.SendAsync(new { text = "" });
        await first.ReceiveUntilClosedAsync();
        await first.DisposeAsync();
        var deadline = DateTime.UtcNow + TtsTestClient.Patience;
        while (own.Host.ActiveSessions > 1 && DateTime.UtcNow < deadline) await Task.Delay(20);
        await using var again = await TtsTestClient.ConnectAsync(own.Uri, Query);
    }

    [Fact]
    public async Task A_connection_beyond_twice_max_sessions_plus_16_is_closed_unanswered()
    {
        await using var own = await OwnServer.StartAsync(new TtsServerOptions { MaxSessions = 1 });
        const int cap = 2 * 1 + 16;
        var request = Encoding.ASCII.GetBytes($"GET {own.Uri.AbsolutePath} HTTP/1.1\r\nHost: localhost\r\n\r\n");
        var held = new List<System.Net.Sockets.TcpClient>();
        try
        {
            // Plain GETs (no upgrade) on keep-alive connections: each is answered (400), so the
            // server has taken it, and then held open for the keep-alive timeout (30 s).
            for (var i = 0; i < cap; i++)
            {
                var connection = new System.Net.Sockets.TcpClient();
                held.Add(connection);
                await connection.ConnectAsync(IPAddress.Loopback, own.Uri.Port);
                await connection.GetStream().WriteAsync(request);
                Assert.StartsWith("HTTP/1.1 400", await ReadAllAsync(connection, untilHeadEnd: true));
            }

            using var beyond = new System.Net.Sockets.TcpClient();
            await beyond.ConnectAsync(IPAddress.Loopback, own.Uri.Port);
            try { await beyond.GetStream().WriteAsync(request); } catch (IOException) { /* already closed */ }
            Assert.Equal("", await ReadAllAsync(beyond, untilHeadEnd: false));
        }
        finally
        {
            foreach (var connection in held) connection.Dispose();
        }
    }

    /// <summary>What the server sends on a raw connection: up to the end of a response head, or
    /// everything until it closes (a reset counts as closed).</summary>
    private static async Task<string> ReadAllAsync(System.Net.Sockets.TcpClient connection, bool untilHeadEnd)
    {
        using var patience = new CancellationTokenSource(TtsTestClient.Patience);
        var received = new StringBuilder();
        var buffer = new byte[4096];
        try
        {
            while (!(untilHeadEnd && received.ToString().Contains("\r\n\r\n")))
            {
                var n = await connection.GetStream().ReadAsync(buffer, patience.Token);
                if (n == 0) break;
                received.Append(Encoding.ASCII.GetString(buffer, 0, n));
            }
        }
        catch (IOException)
        {
            // reset by the server
        }
        return received.ToString();
    }

    [Fact]
    public async Task A_client_that_stops_reading_is_closed_after_the_send_timeout()
    {
        await using var own = await OwnServer.StartAsync(new TtsServerOptions { SendTimeout = TimeSpan.FromSeconds(1) });
        var reader = await TtsTestClient.ConnectAsync(own.Uri, "voice=espeak.en-us&audio_format=linear16&sample_rate=96000&disable_cache=true");
        await reader.HandshakeAsync();
        // About 20 minutes of 96 kHz audio is asked for; the client never reads a frame.
        for (var i = 0; i < 20; i++)
            await reader.SendAsync(new { text = string.Concat(Enumerable.Repeat("A sentence that asks for some audio. ", 30)) });

        var line = await own.Log.WaitForAsync("not reading");
        Assert.Contains("closing it", line);
        await ServerFixture.WaitForNoSessionsAsync(own.Host);
        reader.Abort();
        await reader.DisposeAsync();
        await own.AssertServesAsync();
    }

    [Fact]
    public async Task A_client_that_sends_faster_than_speech_is_read_no_further_until_audio_catches_up()
    {
        await using var own = await OwnServer.StartAsync(new TtsServerOptions { MaxQueuedChars = 1000 });
        await using var client = await TtsTestClient.ConnectAsync(own.Uri, Query);
        await client.HandshakeAsync();
        var receiving = client.ReceiveUntilClosedAsync(); // this client reads its audio all along
        var frame = string.Concat(Enumerable.Repeat("Queue this sentence please. ", 20)); // 560 characters
        for (var i = 0; i < 10; i++) await client.SendAsync(new { text = frame });
        await own.Log.WaitForAsync("reading paused until audio catches up");
        await client.SendAsync(new { force = true });
        await client.SendAsync(new { text = "" });
        var frames = await receiving;
        Assert.DoesNotContain(frames, f => f.Error is not null);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
    }
}

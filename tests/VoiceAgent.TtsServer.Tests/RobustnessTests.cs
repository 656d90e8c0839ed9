using System.Net.WebSockets;
using System.Text;

namespace VoiceAgent.TtsServer.Tests;

/// <summary>Bad clients get one error frame and a close; the server keeps serving.</summary>
public sealed class RobustnessTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const string Query = "voice=espeak.en-us&audio_format=linear16&disable_cache=true";

    [Theory]
    [InlineData("not json at all", "Invalid message: not valid JSON")]
    [InlineData("[1,2,3]", "Invalid message: expected a JSON object")]
    [InlineData("""{"text": 5}""", "Invalid message: \"text\" must be a string")]
    [InlineData("""{"flush": "yes"}""", "Invalid message: \"flush\" must be true or false")]
    [InlineData("""{"force": 1}""", "Invalid message: \"force\" must be true or false")]
    [InlineData("""{"text": "Hi.", "voice_settings": []}""", "Invalid message: \"voice_settings\" must be an object")]
    public async Task Malformed_frames_after_the_handshake_get_an_error_and_a_close(string frame, string error)
    {
        await using var client = await TtsTestClient.ConnectAsync(server.Uri, Query);
        await client.HandshakeAsync();
        await client.SendRawAsync(frame);
        var frames = await client.ReceiveUntilClosedAsync();
        Assert.Equal(error, Assert.Single(frames).Error);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, client.CloseStatus);
    }

    [Fact]
    public async Task A_binary_frame_gets_an_error_and_a_close()
    {
        await using var client = await TtsTestClient.ConnectAsync(server.Uri, Query);
        await client.HandshakeAsync();
        await client.Socket.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, true, CancellationToken.None);
        var frames = await client.ReceiveUntilClosedAsync();
        Assert.StartsWith("Invalid message", Assert.Single(frames).Error);
        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, client.CloseStatus);
    }

    [Fact]
    public async Task A_frame_over_the_size_limit_gets_an_error_and_a_close()
    {
        await using var client = await TtsTestClient.ConnectAsync(server.Uri, Query);
        await client.HandshakeAsync();
        await client.SendAsync(new { text = new string('a', 70_000) });
        var frames = await client.ReceiveUntilClosedAsync();
        Assert.StartsWith("Message too large", Assert.Single(frames).Error);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, client.CloseStatus);
    }

    [Fact]
    public async Task Text_beyond_the_buffer_limit_without_a_sentence_end_gets_an_error_and_a_close()
    {
        await using var client = await TtsTestClient.ConnectAsync(server.Uri, Query);
        await client.HandshakeAsync();
        var chunk = string.Join(" ", Enumerable.Repeat("word", 2000)); // 9999 characters, no sentence end
        var frames = new List<ServerFrame>();
        for (var i = 0; i < 3; i++) await client.SendAsync(new { text = chunk + " " });
        frames.AddRange(await client.ReceiveUntilClosedAsync());
        Assert.StartsWith("Text buffer full", Assert.Single(frames).Error);
    }

    [Fact]
    public async Task A_client_that_vanishes_mid_synthesis_frees_its_work_and_the_server_keeps_serving()
    {
        var client = await TtsTestClient.ConnectAsync(server.Uri, Query);
        await client.HandshakeAsync();
        var text = string.Join(" ", Enumerable.Range(1, 60).Select(i => $"Sentence {i} of a long answer that nobody will hear."));
        await client.SendAsync(new { text });
        Assert.True((await client.ReceiveAsync())!.HasAudio);
        client.Abort();
        await client.DisposeAsync();

        await server.WaitForNoSessionsAsync();
        var deadline = DateTime.UtcNow + TtsTestClient.Patience;
        while (server.Host.ActiveSessions == 0 && server.Host.Synthesizer!.Pending > 0 && DateTime.UtcNow < deadline)
            await Task.Delay(20);

        await using var next = await TtsTestClient.ConnectAsync(server.Uri, Query);
        await next.HandshakeAsync();
        await next.SendAsync(new { text = "Still here." });
        await next.SendAsync(new { text = "" });
        var frames = await next.ReceiveUntilClosedAsync();
        Assert.Contains(frames, f => f.Text == "Still here.");
        Assert.Equal(WebSocketCloseStatus.NormalClosure, next.CloseStatus);
    }

    [Fact]
    public async Task Fifty_concurrent_sessions_all_complete()
    {
        const int sessions = 50;
        var results = await Task.WhenAll(Enumerable.Range(0, sessions).Select(async i =>
        {
            await using var client = await TtsTestClient.ConnectAsync(server.Uri, i % 2 == 0 ? "voice=espeak.en-us&disable_cache=true" : Query);
            await client.HandshakeAsync();
            await client.SendAsync(new { text = $"Session {i} says hello. " });
            await client.SendAsync(new { text = "And then it says goodbye." });
            await client.SendAsync(new { text = "" });
            var frames = await client.ReceiveUntilClosedAsync();
            return (frames, client.CloseStatus);
        }));
        Assert.All(results, r =>
        {
            Assert.Equal(WebSocketCloseStatus.NormalClosure, r.CloseStatus);
            Assert.Equal(2, r.frames.Count(f => f.Text is { Length: > 0 }));
            Assert.True(r.frames[^1].IsFinal);
            Assert.True(TtsTestClient.AudioOf(r.frames).Length > 8000);
        });
        await server.WaitForNoSessionsAsync();
    }
}

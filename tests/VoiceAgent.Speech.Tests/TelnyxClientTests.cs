using VoiceAgent.Core.Protocol;
using VoiceAgent.Speech.Telnyx;
using VoiceAgent.TestSupport;
using Xunit;

namespace VoiceAgent.Speech.Tests;

/// <summary>The Telnyx client against a real loopback WebSocket server.</summary>
public sealed class TelnyxClientTests : IAsyncLifetime
{
    private const string Reply = "Hello there, welcome. How are you today? I am **fine**, thanks";
    private static readonly string[] Sentences = ["Hello there, welcome.", "How are you today?", "I am **fine**, thanks"];
    private FakeTelnyxServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await FakeTelnyxServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private TelnyxSpeechSynthesizer Client(string format = "linear16", int rate = 24_000, int output = 24_000,
        string key = FakeTelnyxServer.Key, string voice = "Telnyx.NaturalHD.astra", bool prewarm = false, int reconnects = 3) =>
        new(TelnyxTtsOptions.ForUrl(_server.Url, new TtsSettings
        {
            Voice = voice,
            AudioFormat = format,
            SampleRate = rate,
            OutputSampleRate = output,
            Prewarm = prewarm,
            ReconnectAttempts = reconnects,
            ReconnectBackoff = TimeSpan.FromMilliseconds(20),
        }) with { ApiKey = key }, "test");

    /// <summary>Sends the reply as LLM-like tokens, ends the turn and collects everything.</summary>
    private static async Task<Result> SpeakAsync(ISpeechSynthesizer client, string reply = Reply, TurnId? turn = null)
    {
        await using var stream = await client.OpenAsync(turn ?? new TurnId(1), CancellationToken.None);
        foreach (var token in Tokens(reply)) await stream.SendTextAsync(token, CancellationToken.None);
        await stream.CompleteAsync(CancellationToken.None);
        return await CollectAsync(stream);
    }

    private static async Task<Result> CollectAsync(ISpeechStream stream)
    {
        var result = new Result();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var e in stream.ReadAsync(timeout.Token))
        {
            switch (e)
            {
                case SpeechAudio a:
                    result.Samples.AddRange(a.Samples);
                    if (a.Text is not null) result.Markers.Add(a.Text);
                    break;
                case SpeechServerTiming t:
                    result.ServerTiming = t.TimeToFirstAudioMs;
                    break;
                case SpeechNotice n:
                    result.Notices.Add(n.Text);
                    break;
            }
        }
        return result;
    }

    private static IEnumerable<string> Tokens(string text)
    {
        for (var i = 0; i < text.Length; i += 4) yield return text.Substring(i, Math.Min(4, text.Length - i));
    }

    private static short[] ExpectedPcm(int rate) =>
        Sentences.SelectMany(s => FakeTelnyxServer.Tone(s, rate)).ToArray();

    [Fact]
    public async Task Streamed_linear16_arrives_exactly_with_the_reply_text_as_segment_markers()
    {
        await using var client = Client();
        var result = await SpeakAsync(client);

        Assert.Equal(ExpectedPcm(24_000), result.Samples.ToArray());
        Assert.Equal(Reply, string.Concat(result.Markers));
        Assert.Equal(3, result.Markers.Count);
        Assert.Equal(12, result.ServerTiming);

        var frames = _server.Received[1].ToArray();
        Assert.Equal("""{"text":" "}""", frames[0]);
        Assert.Equal("""{"text":""}""", frames[^1]);
        Assert.Contains("""{"text":" ","flush":true}""", frames);
        var query = _server.Queries.Single();
        Assert.Contains("voice=Telnyx.NaturalHD.astra", query);
        Assert.Contains("audio_format=linear16", query);
        Assert.Contains("sample_rate=24000", query);
        Assert.Contains("inactivity_timeout=20", query);
    }

    [Fact]
    public async Task Concatenated_frames_carry_audio_and_text_together()
    {
        _server.Concatenated = true;
        await using var client = Client();
        var result = await SpeakAsync(client);

        Assert.Equal(ExpectedPcm(24_000), result.Samples.ToArray());
        Assert.Equal(Reply, string.Concat(result.Markers));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4001)]
    public async Task Odd_length_pcm_chunks_keep_sample_alignment(int chunkBytes)
    {
        _server.ChunkBytes = chunkBytes;
        await using var client = Client();
        var result = await SpeakAsync(client, "One two three. Four five.");

        short[] expected = [.. FakeTelnyxServer.Tone("One two three.", 24_000), .. FakeTelnyxServer.Tone("Four five.", 24_000)];
        Assert.Equal(expected, result.Samples.ToArray());
    }

    [Fact]
    public async Task Audio_is_resampled_to_the_playback_rate()
    {
        await using var client = Client(rate: 16_000, output: 48_000);
        var result = await SpeakAsync(client);

        var expected = ExpectedPcm(16_000).Length * 3;
        Assert.InRange(result.Samples.Count, expected - 3, expected + 3);
        // Within the first sentence's tone (0.09 s), the 440 Hz tone keeps its level.
        var window = result.Samples.ToArray().AsSpan(1000, 2400);
        Assert.InRange(Signals.AmplitudeAt(window, FakeTelnyxServer.ToneHz, 48_000), 0.35, 0.45);
    }

    [Fact]
    public async Task Mp3_segments_with_id3_tags_each_decode_fully()
    {
        await using var client = Client(format: "mp3", rate: 24_000, output: 24_000);
        var result = await SpeakAsync(client);

        // Each segment is its own MP3 file, decoded gaplessly: exactly the tone, per segment. A
        // decoder fed the concatenation would lose everything after the second ID3 tag.
        var pcm = Sentences.Select(s => FakeTelnyxServer.Tone(s, 24_000).Length).ToArray();
        Assert.Equal(pcm.Sum(), result.Samples.Count);
        Assert.Equal(Reply, string.Concat(result.Markers));
        // Inside the first segment's tone the 440 Hz tone is there.
        var window = result.Samples.ToArray().AsSpan(200, 1800);
        Assert.InRange(Signals.AmplitudeAt(window, FakeTelnyxServer.ToneHz, 24_000), 0.3, 0.5);
    }

    [Fact]
    public async Task Mp3_split_into_tiny_frames_decodes_the_same()
    {
        _server.ChunkBytes = 7;
        await using var client = Client(format: "mp3");
        var small = await SpeakAsync(client, "Small pieces. Still fine.");
        _server.ChunkBytes = 100_000;
        var whole = await SpeakAsync(client, "Small pieces. Still fine.");

        Assert.Equal(whole.Samples, small.Samples);
    }

    [Fact]
    public async Task Wav_segments_each_with_a_header_split_across_frames_decode_exactly()
    {
        _server.ChunkBytes = 13; // every RIFF header spans several frames
        await using var client = Client(format: "wav", rate: 24_000);
        var result = await SpeakAsync(client);

        Assert.Equal(ExpectedPcm(24_000), result.Samples.ToArray());
        Assert.Equal(Reply, string.Concat(result.Markers));
    }

    [Fact]
    public async Task Mp3_sent_when_linear16_was_asked_is_recognised_and_decoded()
    {
        _server.ForcedFormat = "mp3";
        await using var client = Client(format: "linear16");
        var result = await SpeakAsync(client);

        var pcm = Sentences.Sum(s => FakeTelnyxServer.Tone(s, 24_000).Length);
        Assert.Equal(pcm, result.Samples.Count);
        Assert.Equal(Reply, string.Concat(result.Markers));
    }

    [Fact]
    public async Task An_error_frame_fails_the_turn_with_the_server_message()
    {
        _server.ErrorAfterFirstSegment = "Error in audio response";
        await using var client = Client();

        var error = await Assert.ThrowsAsync<SpeechSynthesisException>(() => SpeakAsync(client));
        Assert.Equal("the TTS server reported an error: Error in audio response", error.Message);
    }

    [Fact]
    public async Task A_socket_closed_mid_turn_is_reopened_and_the_unacknowledged_text_is_sent_again()
    {
        _server.DropFirstConnection = DropMode.CloseGoingAway;
        await using var client = Client();

        var result = await SpeakAsync(client);

        Assert.Equal(2, _server.Connections);
        Assert.Equal(Reply, string.Concat(result.Markers));
        Assert.Single(result.Notices);
        // The second socket got the text the first never acknowledged, and not the first sentence.
        var resent = string.Concat(_server.Received[2].Select(f => System.Text.Json.JsonDocument.Parse(f).RootElement.GetProperty("text").GetString()));
        Assert.DoesNotContain("Hello there", resent);
        Assert.Contains("How are you today? I am **fine**, thanks", resent);
        Assert.Equal(ExpectedPcm(24_000), result.Samples.ToArray());
    }

    [Fact]
    public async Task A_socket_reset_mid_turn_loses_no_text()
    {
        _server.DropFirstConnection = DropMode.Reset;
        await using var client = Client();

        var result = await SpeakAsync(client);

        // Whatever the reset swallowed is spoken again: every word is heard, none twice in the markers.
        Assert.Equal(2, _server.Connections);
        Assert.Equal(Reply, string.Concat(result.Markers));
        var resent = string.Concat(_server.Received[2].Select(f => System.Text.Json.JsonDocument.Parse(f).RootElement.GetProperty("text").GetString()));
        Assert.Contains("I am **fine**, thanks", resent);
    }

    [Fact]
    public async Task A_socket_that_keeps_dropping_fails_after_the_configured_attempts()
    {
        _server.DropFirstConnection = DropMode.CloseGoingAway;
        await using var client = Client(reconnects: 0);

        var error = await Assert.ThrowsAsync<SpeechSynthesisException>(() => SpeakAsync(client));
        Assert.StartsWith("TTS connection lost mid-turn", error.Message);
    }

    [Fact]
    public async Task A_rejected_key_is_one_clear_line_at_connect()
    {
        await using var client = Client(key: "wrong-key");

        var error = await Assert.ThrowsAsync<SpeechSynthesisException>(() => client.OpenAsync(new TurnId(1), CancellationToken.None));
        Assert.StartsWith("the API key was rejected by ws://127.0.0.1:", error.Message);
        Assert.DoesNotContain("wrong-key", error.Message);
    }

    [Fact]
    public async Task An_unknown_voice_is_one_clear_line_at_connect()
    {
        await using var client = Client(voice: "Nobody.Voice.x");

        var error = await Assert.ThrowsAsync<SpeechSynthesisException>(() => client.OpenAsync(new TurnId(1), CancellationToken.None));
        Assert.StartsWith("unknown voice Nobody.Voice.x (HTTP 403", error.Message);
    }

    [Fact]
    public async Task After_a_force_nothing_more_is_delivered_even_audio_the_server_still_sends()
    {
        _server.LateFramesAfterForce = 3;
        await using var client = Client();
        await using var stream = await client.OpenAsync(new TurnId(1), CancellationToken.None);
        await stream.SendTextAsync("First sentence here. And a second one that never ends", CancellationToken.None);

        var received = new List<SpeechEvent>();
        await using var reader = stream.ReadAsync(CancellationToken.None).GetAsyncEnumerator();
        while (await reader.MoveNextAsync())
        {
            received.Add(reader.Current);
            if (reader.Current is SpeechAudio { Text: not null }) break; // first segment heard
        }
        await stream.InterruptAsync(CancellationToken.None);
        Assert.False(await reader.MoveNextAsync());

        // The server did get the force frame, and did send late audio after it.
        await WaitUntil(() => _server.Received[1].Contains("""{"force":true}"""));
        Assert.Equal("First sentence here. ", ((SpeechAudio)received[^1]).Text);
    }

    [Fact]
    public async Task A_prewarmed_socket_takes_the_next_turn_without_connecting()
    {
        await using var client = Client(prewarm: true);
        await SpeakAsync(client, "One.", new TurnId(1));
        await WaitUntil(() => client.HasWarmConnection);
        Assert.Equal(2, _server.Connections);

        await SpeakAsync(client, "Two.", new TurnId(2));

        // Turn two ran on the warm socket (its handshake was already sent) and a third is warming.
        Assert.Contains("""{"text":"Two."}""", _server.Received[2]);
        await WaitUntil(() => _server.Connections == 3);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition()) await Task.Delay(10, timeout.Token);
    }

    private sealed class Result
    {
        public List<short> Samples { get; } = new();
        public List<string> Markers { get; } = new();
        public List<string> Notices { get; } = new();
        public int? ServerTiming { get; set; }
    }
}

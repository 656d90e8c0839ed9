using System.Net.WebSockets;
using VoiceAgent.Dsp;

namespace VoiceAgent.TtsServer.Tests;

/// <summary>Protocol conformance over a real loopback WebSocket.</summary>
public sealed class ProtocolTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const string Pcm24k = "voice=espeak.en-us&audio_format=linear16&sample_rate=24000&disable_cache=true";

    [Fact]
    public async Task Streams_sentences_as_audio_chunks_then_text_then_final_and_closes_1000_after_end()
    {
        await using var client = await TtsTestClient.ConnectAsync(server.Uri, Pcm24k);
        await client.HandshakeAsync();
        await client.SendAsync(new { text = "Hello world. How are you today?" });
        await client.SendAsync(new { text = "" });
        var frames = await client.ReceiveUntilClosedAsync();

        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
        var texts = frames.Where(f => f.Text is { Length: > 0 }).Select(f => f.Text).ToList();
        Assert.Equal(["Hello world.", "How are you today?"], texts);
        Assert.True(frames[^1].IsFinal);
        Assert.Equal("", frames[^1].Text);
        Assert.Single(frames, f => f.IsFinal);

        // Streamed provider shape: audio chunks with text null, then the text-bearing chunk with audio null.
        var firstSegment = frames.TakeWhile(f => f.Text is null).ToList();
        Assert.NotEmpty(firstSegment);
        Assert.All(firstSegment, f => Assert.True(f.HasAudio && f.Has("text") && f.Cached == false));
        Assert.NotNull(firstSegment[0].TimeToFirstAudioMs);
        Assert.All(firstSegment.Skip(1), f => Assert.Null(f.TimeToFirstAudioMs));
        var textFrame = frames[firstSegment.Count];
        Assert.False(textFrame.HasAudio);
        Assert.False(textFrame.IsFinal);
        Assert.All(frames, f => Assert.False(f.Has("type")));

        var pcm = Pcm16.FromBytes(TtsTestClient.AudioOf(frames));
        AudioChecks.AssertSpeech(pcm, 24000, minSeconds: 1.5);
    }

    [Fact]
    public async Task Text_before_the_handshake_is_an_invalid_message_and_closes()
    {
        await using var client = await TtsTestClient.ConnectAsync(server.Uri, Pcm24k);
        await client.SendAsync(new { text = "Hello." });
        var frames = await client.ReceiveUntilClosedAsync();
        Assert.Equal("""{"error":"Invalid message"}""", Assert.Single(frames).Json);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, client.CloseStatus);
    }

    [Fact]
    public async Task A_fragment_waits_for_its_sentence_end_and_abbreviations_and_decimals_do_not_split()
    {
        await using var client = await TtsTestClient.ConnectAsync(server.Uri, Pcm24k);
        await client.HandshakeAsync();
        foreach (var token in new[] { "Dr", ".", " Smith paid 3", ".", "5 dollars", " at", " noon", "." })
            await client.SendAsync(new { text = token });
        var frames = await client.ReceiveUntilFinalAsync();
        Assert.Equal(["Dr. Smith paid 3.5 dollars at noon."], frames.Where(f => f.Text is { Length: > 0 }).Select(f => f.Text));
        Assert.True(frames[^1].IsFinal);
    }

    [Fact]
    public async Task Flush_speaks_a_fragment_without_punctuation_and_the_socket_stays_open()
    {
        await using var client = await TtsTestClient.ConnectAsync(server.Uri, Pcm24k);
        await client.HandshakeAsync();
        await client.SendAsync(new { text = "no punctuation here", flush = true });
        var first = await client.ReceiveUntilFinalAsync();
        Assert.Equal(["no punctuation here"], first.Where(f => f.Text is { Length: > 0 }).Select(f => f.Text));

        await client.SendAsync(new { text = "Still open." });
        var second = await client.ReceiveUntilFinalAsync();
        Assert.Equal(["Still open."], second.Where(f => f.Text is { Length: > 0 }).Select(f => f.Text));
        Assert.True(second[^1].IsFinal);
    }

    [Fact]
    public async Task Force_drops_the_old_work_keeps_the_handshake_and_no_old_frame_follows_new_work()
    {
        // The new sentence is cached first, so its frames say cached:true while the old work's say false.
        const string fresh = "Brand new words after the interruption.";
        await using (var warm = await TtsTestClient.ConnectAsync(server.Uri, "voice=espeak.en-us&audio_format=linear16"))
        {
            await warm.HandshakeAsync();
            await warm.SendAsync(new { text = fresh });
            await warm.SendAsync(new { text = "" });
            await warm.ReceiveUntilClosedAsync();
        }

        await using var client = await TtsTestClient.ConnectAsync(server.Uri, "voice=espeak.en-us&audio_format=linear16");
        await client.HandshakeAsync();
        var old = Enumerable.Range(1, 40).Select(i => $"Old sentence number {i} {Guid.NewGuid():N} is rather long and keeps the synthesizer busy.").ToList();
        await client.SendAsync(new { text = string.Join(" ", old) });
        var before = new List<ServerFrame> { (await client.ReceiveAsync())! };
        Assert.True(before[0].HasAudio);

        await client.SendAsync(new { force = true });
        await client.SendAsync(new { text = fresh });
        await client.SendAsync(new { text = "" });
        var after = await client.ReceiveUntilClosedAsync();
        var all = before.Concat(after).ToList();

        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
        var oldTexts = all.Where(f => f.Text is { Length: > 0 } && f.Text != fresh).Select(f => f.Text).ToList();
        Assert.True(oldTexts.Count < old.Count, "the forced work was not stopped");
        Assert.Equal(old.Take(oldTexts.Count), oldTexts); // whatever old audio came, came in order
        var firstNew = all.FindIndex(f => f.Cached == true);
        Assert.True(firstNew >= 0, "no audio for the text sent after force");
        Assert.All(all.Skip(firstNew), f => Assert.True(f.IsFinal || f.Cached == true, $"old frame after new work: {f.Json[..Math.Min(80, f.Json.Length)]}"));
        Assert.Equal(fresh, all.Last(f => f.Text is { Length: > 0 }).Text);
        Assert.True(all[^1].IsFinal);
    }

    [Fact]
    public async Task Voice_speed_from_the_handshake_changes_the_speaking_rate()
    {
        async Task<int> BytesAt(double speed)
        {
            await using var client = await TtsTestClient.ConnectAsync(server.Uri, Pcm24k);
            await client.HandshakeAsync(speed);
            await client.SendAsync(new { text = "The quick brown fox jumps over the lazy dog near the river bank." });
            await client.SendAsync(new { text = "" });
            return TtsTestClient.AudioOf(await client.ReceiveUntilClosedAsync()).Length;
        }
        var normal = await BytesAt(1.0);
        var fast = await BytesAt(2.0);
        Assert.True(fast < normal * 0.75, $"speed 2.0 gave {fast} bytes, speed 1.0 gave {normal}");
    }

    [Fact]
    public async Task Repeated_text_is_served_from_the_cache_unless_disable_cache_is_set()
    {
        var sentence = $"Cache probe {Guid.NewGuid():N} sentence.";
        async Task<List<ServerFrame>> Speak(string query)
        {
            await using var client = await TtsTestClient.ConnectAsync(server.Uri, query);
            await client.HandshakeAsync();
            await client.SendAsync(new { text = sentence });
            await client.SendAsync(new { text = "" });
            return await client.ReceiveUntilClosedAsync();
        }
        var first = await Speak("voice=espeak.en-us&audio_format=linear16");
        var second = await Speak("voice=espeak.en-us&audio_format=linear16");
        var bypass = await Speak("voice=espeak.en-us&audio_format=linear16&disable_cache=true");
        Assert.All(first.Where(f => !f.IsFinal), f => Assert.False(f.Cached));
        Assert.All(second.Where(f => !f.IsFinal), f => Assert.True(f.Cached));
        Assert.All(bypass.Where(f => !f.IsFinal), f => Assert.False(f.Cached));
        Assert.Equal(TtsTestClient.AudioOf(first), TtsTestClient.AudioOf(second));
    }

    [Fact]
    public async Task Sample_rate_resamples_linear16_and_wav_carries_a_header_per_segment()
    {
        const string sentence = "Resampling keeps the duration the same.";
        async Task<List<ServerFrame>> Speak(string query)
        {
            await using var client = await TtsTestClient.ConnectAsync(server.Uri, query);
            await client.HandshakeAsync();
            await client.SendAsync(new { text = sentence + " Second sentence here." });
            await client.SendAsync(new { text = "" });
            return await client.ReceiveUntilClosedAsync();
        }
        var low = Pcm16.FromBytes(TtsTestClient.AudioOf(await Speak("voice=espeak.en-us&audio_format=linear16&sample_rate=16000&disable_cache=true")));
        var high = Pcm16.FromBytes(TtsTestClient.AudioOf(await Speak("voice=espeak.en-us&audio_format=pcm&sample_rate=48000&disable_cache=true")));
        AudioChecks.AssertSpeech(low, 16000, 1.5);
        AudioChecks.AssertSpeech(high, 48000, 1.5);
        var ratio = (double)high.Length / low.Length;
        Assert.InRange(ratio, 2.8, 3.2); // espeak-ng output length varies a little between calls

        var wavFrames = await Speak("voice=espeak.en-us&audio_format=wav&sample_rate=8000&disable_cache=true");
        var segments = SplitSegments(wavFrames);
        Assert.Equal(2, segments.Count);
        foreach (var segment in segments)
        {
            var wav = WavFile.Parse(segment);
            Assert.Equal(8000, wav.SampleRate);
            AudioChecks.AssertSpeech(wav.Samples, 8000, 0.5);
        }
    }

    [Fact]
    public async Task Mp3_is_the_default_at_24000_Hz_one_standalone_file_with_an_ID3_tag_per_segment()
    {
        await using var client = await TtsTestClient.ConnectAsync(server.Uri, "voice=Telnyx.NaturalHD.astra&disable_cache=true");
        await client.HandshakeAsync();
        await client.SendAsync(new { text = "First sentence of the test. And here is the second one." });
        await client.SendAsync(new { text = "" });
        var frames = await client.ReceiveUntilClosedAsync();
        var segments = SplitSegments(frames);
        Assert.Equal(2, segments.Count);
        foreach (var segment in segments)
        {
            Assert.Equal("ID3"u8.ToArray(), segment[..3]);
            var (samples, rate) = AudioChecks.DecodeSegments(segment);
            Assert.Equal(24000, rate);
            AudioChecks.AssertSpeech(samples, rate, 0.8);
        }
    }

    [Fact]
    public async Task Markdown_and_emoji_are_not_spoken()
    {
        await using var client = await TtsTestClient.ConnectAsync(server.Uri, Pcm24k);
        await client.HandshakeAsync();
        await client.SendAsync(new { text = "## Summary\n\nThis is **very** _important_ 🎉. See [the docs](https://example.com/docs) for `details`.\n\n- first item\n- second item\n" });
        await client.SendAsync(new { text = "" });
        var frames = await client.ReceiveUntilClosedAsync();
        var spoken = string.Join(" | ", frames.Where(f => f.Text is { Length: > 0 }).Select(f => f.Text));
        Assert.Equal("Summary | This is very important. | See the docs for details. | first item | second item", spoken);
    }

    [Fact]
    public async Task An_idle_socket_closes_with_1000_after_inactivity_timeout()
    {
        await using var client = await TtsTestClient.ConnectAsync(server.Uri, Pcm24k + "&inactivity_timeout=1");
        await client.HandshakeAsync();
        var frames = await client.ReceiveUntilClosedAsync();
        Assert.Empty(frames);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
        Assert.Equal("inactivity timeout", client.CloseDescription);
    }

    /// <summary>Per-segment audio: the streamed chunks between text-bearing frames.</summary>
    internal static List<byte[]> SplitSegments(List<ServerFrame> frames)
    {
        var segments = new List<byte[]>();
        var current = new List<byte>();
        foreach (var frame in frames)
        {
            current.AddRange(frame.Audio);
            if (frame.Text is { Length: > 0 } && current.Count > 0) { segments.Add(current.ToArray()); current.Clear(); }
        }
        return segments;
    }
}

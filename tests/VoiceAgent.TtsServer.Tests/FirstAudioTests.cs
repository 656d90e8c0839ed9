using System.Net.WebSockets;
using VoiceAgent.TtsServer.Synthesis;
using VoiceAgent.TtsServer.Synthesis.Processes;
using VoiceAgent.TtsServer.Text;

namespace VoiceAgent.TtsServer.Tests;

/// <summary>First audio first: a session whose listener hears nothing yet is not kept waiting
/// behind whole sentences of sessions already playing. The first piece of a turn is short when
/// the engines are busy and goes before other sessions' later pieces; a playing session still
/// gets its next piece within the queue's patience. Asserted on order and flow, not on speed.</summary>
public sealed class FirstAudioTests
{
    private const string Fox = "The quick brown fox jumps over the lazy dog.";

    [Fact]
    public void First_pieces_go_before_the_pieces_of_sessions_already_playing()
    {
        var queue = new FairShareQueue<string>(clockMs: () => 0);
        object a = new(), b = new(), c = new(), n1 = new(), n2 = new();
        queue.Add(a, "a1");
        queue.Add(b, "b1");
        queue.Add(a, "a2");
        queue.Add(n1, "n1-head", firstAudio: true);
        queue.Add(n1, "n1-rest");
        queue.Add(c, "c1");
        queue.Add(n2, "n2-head", firstAudio: true);

        Assert.Equal(["n1-head", "n2-head", "a1", "b1", "c1", "n1-rest", "a2"], TakeAll(queue));
    }

    [Fact]
    public void A_playing_sessions_piece_that_has_waited_its_patience_goes_before_first_pieces()
    {
        long now = 0;
        var queue = new FairShareQueue<string>(TimeSpan.FromMilliseconds(500), () => now);
        object playing = new(), n1 = new(), n2 = new();
        queue.Add(playing, "playing-next");
        now = 100;
        queue.Add(n1, "n1-head", firstAudio: true);
        queue.Add(n2, "n2-head", firstAudio: true);
        Assert.True(queue.TryTake(out var first));
        Assert.Equal("n1-head", first); // waited 100 ms of its 500

        now = 500;
        Assert.True(queue.TryTake(out var second));
        Assert.Equal("playing-next", second); // waited 500 ms: its turn, first pieces or not
        Assert.True(queue.TryTake(out var third));
        Assert.Equal("n2-head", third);
    }

    [Fact]
    public void A_taker_kept_for_first_audio_takes_only_first_audio_most_urgent_first()
    {
        var queue = new FairShareQueue<string>(clockMs: () => 0);
        object a = new(), b = new(), c = new();
        queue.Add(a, "a-later", Urgency.Later);
        queue.Add(b, "b-rest-of-first-piece", Urgency.FirstPiece);
        queue.Add(c, "c-first-frame", Urgency.FirstFrame);

        Assert.True(queue.TryTake(Urgency.FirstPiece, out var first));
        Assert.Equal("c-first-frame", first);
        Assert.True(queue.TryTake(Urgency.FirstPiece, out var second));
        Assert.Equal("b-rest-of-first-piece", second);
        queue.Complete();
        Assert.False(queue.TryTake(Urgency.FirstPiece, out _)); // "a-later" is not its work
        Assert.True(queue.TryTake(out var third));
        Assert.Equal("a-later", third);
    }

    [Fact]
    public async Task First_audio_work_runs_while_every_other_audio_thread_is_busy_with_later_work()
    {
        using var lane = new Audio.AudioWorkLane(threads: 1);
        using var release = new ManualResetEventSlim(false);
        using var started = new ManualResetEventSlim(false);
        var later = lane.RunAsync(new object(), () => { started.Set(); release.Wait(TimeSpan.FromSeconds(30)); return "later"; }, Urgency.Later, CancellationToken.None);
        Assert.True(started.Wait(TimeSpan.FromSeconds(30)));
        var blocked = lane.RunAsync(new object(), () => "blocked later", Urgency.Later, CancellationToken.None);

        // The one thread for any work is held; the first block of a new turn still gets encoded.
        Assert.Equal("first", await lane.RunAsync(new object(), () => "first", Urgency.FirstFrame, CancellationToken.None));
        Assert.False(blocked.IsCompleted);
        release.Set();
        Assert.Equal("later", await later);
        Assert.Equal("blocked later", await blocked);
    }

    private static List<string> TakeAll(FairShareQueue<string> queue)
    {
        queue.Complete();
        var taken = new List<string>();
        while (queue.TryTake(out var item)) taken.Add(item);
        return taken;
    }

    [Theory]
    [InlineData(Fox, "The quick brown fox", "jumps over the lazy dog.")]
    [InlineData("Well, that is a question I have heard before.", "Well, that is a question", "I have heard before.")] // "Well," alone is too short
    [InlineData("Sure thing, here is the plan for the day.", "Sure thing,", "here is the plan for the day.")]
    [InlineData("Put the cup on the table by the door, please.", "Put the cup on the table", "by the door, please.")] // not ending on "the" or "on"
    [InlineData("I will call you back in ten minutes — promise.", "I will call you", "back in ten minutes — promise.")]
    public void The_first_piece_ends_at_an_early_clause_mark_or_after_a_few_words(string sentence, string head, string tail)
    {
        var cut = FirstPieceSplitter.Split(sentence);
        Assert.NotNull(cut);
        Assert.Equal(head, cut.Value.Head);
        Assert.Equal(tail, cut.Value.Tail);
    }

    [Theory]
    [InlineData("Hello there.")]
    [InlineData("Sure, I can do that.")]        // the rest would be shorter than three words
    [InlineData("Thanks a lot for that one.")]
    [InlineData("今日はいい天気ですね。散歩に行きましょう。")] // no spaces: no word boundary to cut at
    public void A_sentence_too_short_to_leave_a_real_rest_stays_whole(string sentence) =>
        Assert.Null(FirstPieceSplitter.Split(sentence));

    [Fact]
    public async Task With_many_sessions_queued_a_new_sessions_first_piece_is_next_on_the_engine()
    {
        var engine = new FairnessTests.RecordingEngine();
        using var worker = new SynthesisWorker(() => engine);
        var streams = new List<SynthesisStream> { worker.Start(new SynthesisRequest("running", "v", 1), new object(), CancellationToken.None) };
        Assert.True(engine.FirstStarted.Wait(TimeSpan.FromSeconds(30)));
        for (var session = 0; session < 20; session++) // twenty sessions playing, each with its next sentence queued
            streams.Add(worker.Start(new SynthesisRequest($"playing{session}", "v", 1), new object(), CancellationToken.None));
        var newcomer = new object();
        streams.Add(worker.Start(new SynthesisRequest("newcomer-head", "v", 1, SentenceGoesOn: true), newcomer, CancellationToken.None, firstAudio: true));
        streams.Add(worker.Start(new SynthesisRequest("newcomer-rest", "v", 1), newcomer, CancellationToken.None));
        engine.Gate.Set();
        foreach (var stream in streams) await stream.ReadAllAsync(CancellationToken.None);

        Assert.Equal(1, engine.Calls.IndexOf("newcomer-head")); // right after the piece that was running
        Assert.Equal(engine.Calls.Count - 1, engine.Calls.IndexOf("newcomer-rest")); // its rest waits its turn
    }

    [Fact]
    public async Task In_the_worker_processes_a_first_piece_overtakes_the_queued_pieces_of_playing_sessions()
    {
        await using var server = await OwnServer.StartAsync(new TtsServerOptions { SynthesisProcesses = 1 });
        var pool = Assert.IsType<SynthesisProcessPool>(server.Host.Synthesizer);
        using var stop = new CancellationTokenSource();
        var longText = string.Join(" ", Enumerable.Range(1, 40).Select(i => $"Sentence {i} keeps the one engine busy for a while."));
        var running = pool.Start(new SynthesisRequest(longText, "en-us", 0.5), new object(), stop.Token);
        Assert.True(await running.Blocks.WaitToReadAsync()); // it runs
        var playing = Enumerable.Range(0, 5)
            .Select(i => pool.Start(new SynthesisRequest($"Playing session {i} says its next sentence.", "en-us", 1), new object(), CancellationToken.None))
            .ToList();
        var first = pool.Start(new SynthesisRequest("The quick brown fox", "en-us", 1, SentenceGoesOn: true), new object(), CancellationToken.None, firstAudio: true);
        await stop.CancelAsync();

        AudioChecks.AssertSpeech(await first.ReadAllAsync(CancellationToken.None), pool.SampleRate, 0.8);
        foreach (var stream in playing) await stream.ReadAllAsync(CancellationToken.None);
        Assert.All(playing, stream => Assert.True(first.TakenAs < stream.TakenAs, "a playing session's piece ran before the first piece"));
    }

    [Fact]
    public async Task A_turn_opening_while_the_engine_is_busy_gets_a_short_first_mp3_then_the_rest_and_one_text_frame()
    {
        await using var server = await OwnServer.StartAsync(new TtsServerOptions { SynthesisProcesses = 1 });
        // Two sessions keep the one engine busy (one runs while the other's next sentence waits).
        await using var busy1 = await SpeakingSlowlyAsync(server);
        await using var busy2 = await SpeakingSlowlyAsync(server);

        await using var client = await TtsTestClient.ConnectAsync(server.Uri, "voice=espeak.en-us&audio_format=mp3&disable_cache=true");
        await client.HandshakeAsync();
        // The opening is split only while every engine is busy. Between two of a session's
        // sentences the engine can be free for a moment (seen once in CI: the opening came whole),
        // so the text goes out while one piece runs and another waits: one finishing in the
        // meantime still leaves the engine busy when the turn opens.
        var synthesizer = server.Host.Synthesizer!;
        var waitUntil = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (synthesizer.Pending < synthesizer.Engines + 1)
        {
            Assert.True(DateTime.UtcNow < waitUntil, "the two slow sessions never kept the engine busy with a piece waiting");
            await Task.Delay(1, TestContext.Current.CancellationToken);
        }
        await client.SendAsync(new { text = Fox + " " + Fox });
        await client.SendAsync(new { text = "" });
        var frames = await client.ReceiveUntilClosedAsync();
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);

        var texts = frames.Select((f, i) => (f, i)).Where(x => x.f.Text is { Length: > 0 }).ToList();
        Assert.Equal([Fox, Fox], texts.Select(x => x.f.Text)); // one text frame per sentence, whole
        var opening = TtsTestClient.AudioOf(frames.Take(texts[0].i));
        var second = TtsTestClient.AudioOf(frames.Skip(texts[0].i + 1).Take(texts[1].i - texts[0].i - 1));
        // "The quick brown fox" (its first block of speech, then the rest of it) and "jumps over
        // the lazy dog.", each file with its Info frame; the turn is playing by the next sentence,
        // which comes whole, as one file.
        Assert.Equal(3, Mp3Files(opening));
        Assert.Equal(1, Mp3Files(second));

        // Both parts decode gaplessly into about the sentence's length (the first part has no
        // sentence pause, so a little shorter than the whole sentence).
        var (whole, rate) = AudioChecks.DecodeSegments(second);
        var (parts, _) = AudioChecks.DecodeSegments(opening);
        AudioChecks.AssertSpeech(parts, rate, 1.5);
        Assert.InRange(parts.Length, whole.Length * 0.8, whole.Length * 1.1);
    }

    [Fact]
    public async Task With_an_engine_free_the_opening_sentence_stays_whole_and_its_first_block_of_mp3_leaves_first()
    {
        await using var server = await OwnServer.StartAsync(new TtsServerOptions { SynthesisProcesses = 1 });
        await using var client = await TtsTestClient.ConnectAsync(server.Uri, "voice=espeak.en-us&audio_format=mp3&disable_cache=true");
        await client.HandshakeAsync();
        await client.SendAsync(new { text = Fox });
        await client.SendAsync(new { text = "" });
        var frames = await client.ReceiveUntilClosedAsync();
        var audio = TtsTestClient.AudioOf(frames);
        Assert.Equal(2, Mp3Files(audio)); // its first block of speech, then the rest of the sentence
        Assert.Contains(frames, f => f.Text == Fox);

        var (samples, rate) = AudioChecks.DecodeSegments(audio);
        var (firstFile, _) = AudioChecks.DecodeSegments(audio[..IndexOfSecondFile(audio)]);
        AudioChecks.AssertSpeech(samples, rate, 2.4);
        Assert.InRange(firstFile.Length, rate / 6, rate / 3); // about 0.2 s: the first block, not the sentence
    }

    /// <summary>How many MP3 files (each starting with the server's ID3v2.4 tag) the bytes hold.</summary>
    private static int Mp3Files(byte[] audio) => FileStarts(audio).Count();

    private static int IndexOfSecondFile(byte[] audio) => FileStarts(audio).ElementAt(1);

    private static IEnumerable<int> FileStarts(byte[] audio)
    {
        for (var i = 0; i + 5 < audio.Length; i++)
            if (audio[i] == 'I' && audio[i + 1] == 'D' && audio[i + 2] == '3' && audio[i + 3] == 4 && audio[i + 4] == 0 && audio[i + 5] == 0)
                yield return i;
    }

    /// <summary>A session speaking a long text at half speed, its first audio in: it keeps an
    /// engine busy sentence after sentence.</summary>
    private static async Task<TtsTestClient> SpeakingSlowlyAsync(OwnServer server)
    {
        var client = await TtsTestClient.ConnectAsync(server.Uri, "voice=espeak.en-us&audio_format=linear16&disable_cache=true");
        await client.HandshakeAsync(speed: 0.5);
        await client.SendAsync(new { text = string.Join(" ", Enumerable.Range(1, 60).Select(i => $"Sentence {i} of a long answer, read slowly so that it takes a while.")) });
        Assert.True((await client.ReceiveAsync())!.HasAudio);
        _ = DrainAsync(client); // a playing client reads its audio (one that does not would stall its session)
        return client;
    }

    private static async Task DrainAsync(TtsTestClient client)
    {
        try
        {
            await client.ReceiveUntilClosedAsync();
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The test is over and disposed the client.
        }
    }
}

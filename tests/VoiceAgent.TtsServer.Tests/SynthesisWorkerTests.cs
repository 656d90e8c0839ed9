using VoiceAgent.TtsServer.Synthesis;

namespace VoiceAgent.TtsServer.Tests;

public sealed class SynthesisWorkerTests
{
    /// <summary>Records calls; the first call waits for the test to open the gate.</summary>
    private sealed class GatedEngine : ISpeechEngine
    {
        public readonly ManualResetEventSlim Gate = new(false);
        public readonly ManualResetEventSlim FirstStarted = new(false);
        public readonly List<string> Calls = [];
        public readonly List<int> Threads = [];

        public int SampleRate => 22050;
        public IReadOnlyList<EspeakVoice> Voices => [];

        public void Synthesize(SynthesisRequest request, SampleSink sink, CancellationToken cancellation)
        {
            lock (Calls) { Calls.Add(request.Text); Threads.Add(Environment.CurrentManagedThreadId); }
            if (Calls.Count == 1)
            {
                FirstStarted.Set();
                Gate.Wait(TimeSpan.FromSeconds(30));
            }
            cancellation.ThrowIfCancellationRequested();
            sink([1, 2, 3]);
        }
    }

    private static SynthesisRequest Say(string text) => new(text, "en-us", 1.0);

    [Fact]
    public async Task Sessions_take_turns_sentence_by_sentence_on_one_thread()
    {
        var engine = new GatedEngine();
        using var worker = new SynthesisWorker(() => engine);
        var longText = Task.Run(async () =>
        {
            for (var i = 0; i < 4; i++) await worker.SynthesizeAsync(Say($"A{i}"), CancellationToken.None);
        });
        Assert.True(engine.FirstStarted.Wait(TimeSpan.FromSeconds(30)));
        var shortText = worker.SynthesizeAsync(Say("B0"), CancellationToken.None); // arrives while A0 runs
        engine.Gate.Set();
        await Task.WhenAll(longText, shortText);

        Assert.Equal(["A0", "B0", "A1", "A2", "A3"], engine.Calls);
        Assert.Single(engine.Threads.Distinct());
        Assert.Equal(0, worker.Pending);
    }

    [Fact]
    public async Task A_request_cancelled_while_queued_never_reaches_the_engine()
    {
        var engine = new GatedEngine();
        using var worker = new SynthesisWorker(() => engine);
        var running = worker.SynthesizeAsync(Say("first"), CancellationToken.None);
        Assert.True(engine.FirstStarted.Wait(TimeSpan.FromSeconds(30)));
        using var cancel = new CancellationTokenSource();
        var queued = worker.SynthesizeAsync(Say("dropped"), cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        engine.Gate.Set();
        await running;
        var after = await worker.SynthesizeAsync(Say("after"), CancellationToken.None);

        Assert.Equal([1, 2, 3], after);
        Assert.Equal(["first", "after"], engine.Calls);
    }

    [Fact]
    public async Task An_engine_that_cannot_load_fails_every_request_with_its_message()
    {
        using var worker = new SynthesisWorker(() => throw new SpeechEngineUnavailableException("install libespeak-ng1"));
        var error = await Assert.ThrowsAsync<SpeechEngineUnavailableException>(() => worker.Engine);
        Assert.Contains("libespeak-ng1", error.Message);
        await Assert.ThrowsAsync<SpeechEngineUnavailableException>(() => worker.SynthesizeAsync(Say("x"), CancellationToken.None));
    }

    /// <summary>Produces blocks of audio without end until the sink says stop, one block per
    /// call; after the first block it waits for the test's gate.</summary>
    private sealed class EndlessEngine : ISpeechEngine
    {
        public readonly ManualResetEventSlim Gate = new(false);
        public int SampleRate => 22050;
        public IReadOnlyList<EspeakVoice> Voices => [];

        public void Synthesize(SynthesisRequest request, SampleSink sink, CancellationToken cancellation)
        {
            var block = new short[1000];
            if (!sink(block)) return;
            Gate.Wait(TimeSpan.FromSeconds(30));
            while (!cancellation.IsCancellationRequested && sink(block)) { }
        }
    }

    [Fact]
    public async Task Audio_streams_out_while_the_engine_is_still_working_and_stops_at_the_cap()
    {
        var engine = new EndlessEngine();
        using var worker = new SynthesisWorker(() => engine);
        var stream = worker.Start(Say("endless"), new object(), CancellationToken.None, maxSamples: 50_500);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.True(await stream.Blocks.WaitToReadAsync(timeout.Token)); // the first block, while the engine waits
        Assert.True(stream.Blocks.TryRead(out var first));
        Assert.Equal(1000, first.Length);
        Assert.False(stream.Truncated);

        engine.Gate.Set();
        var rest = await stream.ReadAllAsync(timeout.Token);
        Assert.Equal(50_500, first.Length + rest.Length); // never more than the cap
        Assert.True(stream.Truncated);
        Assert.Equal(0, worker.Pending);
    }

    [Fact]
    public async Task The_real_engine_speaks_every_documented_voice()
    {
        var engine = await SynthesisWorker.Shared.Engine;
        Assert.Equal(22050, engine.SampleRate);
        foreach (var id in new[] { "en", "en-us", "en-gb-x-rp" })
        {
            var voice = Assert.Single(engine.Voices, v => v.Id == id);
            var samples = await SynthesisWorker.Shared.SynthesizeAsync(new SynthesisRequest("Testing one two three.", voice.Identifier, 1.0), CancellationToken.None);
            AudioChecks.AssertSpeech(samples, engine.SampleRate, 0.8);
        }
    }
}

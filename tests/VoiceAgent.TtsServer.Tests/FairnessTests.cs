using VoiceAgent.TtsServer.Synthesis;
using VoiceAgent.TtsServer.Text;

namespace VoiceAgent.TtsServer.Tests;

/// <summary>One session's text cannot cost the server work out of proportion to what it sent,
/// nor hold the synthesis thread while others wait.</summary>
public sealed class FairnessTests
{
    [Fact]
    public void Empty_frames_on_a_full_buffer_of_dots_cost_no_boundary_search()
    {
        var buffer = new SentenceBuffer();
        buffer.Append(new string('.', 19999) + "x");
        Assert.Empty(buffer.TakeSentences());
        var first = buffer.Examined;
        Assert.InRange(first, 20000, 40000); // each character once (the run of dots is measured once)

        for (var i = 0; i < 1000; i++) Assert.Empty(buffer.TakeSentences()); // a "{}" frame: nothing new
        Assert.Equal(first, buffer.Examined);
    }

    [Theory]
    [InlineData("3")]              // a dot after a digit waits: "3." may become "3.5"
    [InlineData("Dr")]             // an abbreviation waits
    [InlineData("x ))))")]         // closing marks after a sentence
    [InlineData("# heading\n")]    // a newline at the end waits for the next character
    public void Text_streamed_one_character_at_a_time_is_searched_in_linear_time(string head)
    {
        var buffer = new SentenceBuffer();
        buffer.Append(head);
        const int count = 5000;
        for (var i = 0; i < count; i++)
        {
            buffer.Append(i % 2 == 0 ? "." : ")");
            buffer.TakeSentences();
        }
        Assert.InRange(buffer.Examined, 1, 4 * (count + head.Length));
    }

    [Fact]
    public void Owners_take_turns_one_item_each()
    {
        var queue = new FairShareQueue<string>();
        object a = new(), b = new(), c = new();
        for (var i = 0; i < 100; i++) queue.Add(a, $"a{i}");
        queue.Add(b, "b0");
        queue.Add(b, "b1");
        queue.Add(c, "c0");
        var order = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            Assert.True(queue.TryTake(out var item));
            order.Add(item);
        }
        Assert.Equal(["a0", "b0", "c0", "a1", "b1", "a2", "a3", "a4"], order);
        Assert.Equal(95, queue.Count);
        queue.Complete();
        while (queue.TryTake(out _)) { }
        Assert.False(queue.TryTake(out _));
    }

    /// <summary>Records the order of calls; the first call waits for the test to open the gate.</summary>
    internal sealed class RecordingEngine : ISpeechEngine
    {
        public readonly ManualResetEventSlim Gate = new(false);
        public readonly ManualResetEventSlim FirstStarted = new(false);
        public readonly List<string> Calls = [];
        public int SampleRate => 22050;
        public IReadOnlyList<EspeakVoice> Voices => [];

        public void Synthesize(SynthesisRequest request, SampleSink sink, CancellationToken cancellation)
        {
            lock (Calls) Calls.Add(request.Text);
            if (!FirstStarted.IsSet)
            {
                FirstStarted.Set();
                Gate.Wait(TimeSpan.FromSeconds(30));
            }
            sink([1, 2, 3]);
        }
    }

    [Fact]
    public async Task A_session_with_many_pieces_queued_delays_another_sessions_first_piece_by_one_piece()
    {
        var engine = new RecordingEngine();
        using var worker = new SynthesisWorker(() => engine);
        object busy = new(), newcomer = new();
        var streams = new List<SynthesisStream> { worker.Start(new SynthesisRequest("busy0", "v", 1), busy, CancellationToken.None) };
        Assert.True(engine.FirstStarted.Wait(TimeSpan.FromSeconds(30)));
        for (var i = 1; i < 20; i++) streams.Add(worker.Start(new SynthesisRequest($"busy{i}", "v", 1), busy, CancellationToken.None));
        streams.Add(worker.Start(new SynthesisRequest("newcomer", "v", 1), newcomer, CancellationToken.None));
        engine.Gate.Set();
        foreach (var stream in streams) await stream.ReadAllAsync(CancellationToken.None);

        // The newcomer waits at most for the piece that was already running and one more.
        Assert.InRange(engine.Calls.IndexOf("newcomer"), 1, 2);
    }
}

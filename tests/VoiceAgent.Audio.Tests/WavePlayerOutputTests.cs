using System.Collections.Concurrent;
using VoiceAgent.Audio.Capture;
using VoiceAgent.Audio.Output;
using VoiceAgent.Audio.Playback;
using VoiceAgent.Dsp;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Audio.Tests;

/// <summary>
/// The code the Windows backend runs above the device — <see cref="WavePlayerOutput"/> and the
/// shared <see cref="AudioPlayer"/> — on a test double of a pull-model sound card with WASAPI's
/// shape (a 20 ms device buffer filled every 10 ms). Everything is judged on the card's own record
/// of what it played; test signals have no zero samples, so the output's silence fill is told apart.
/// </summary>
[Collection(RealTimeCollection.Name)]
public sealed class WavePlayerOutputTests : IDisposable
{
    private const int Rate = 16_000;
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan DeviceBuffer = TimeSpan.FromMilliseconds(20);
    private readonly FakeSoundCard _card = new(TimeSpan.FromMilliseconds(10), DeviceBuffer);
    private readonly WavePlayerOutput _output;
    private readonly BlockingCollection<object> _reports = new();
    private readonly ConcurrentQueue<object> _everything = new();

    public WavePlayerOutputTests()
    {
        _output = new WavePlayerOutput(source =>
        {
            _card.Init(source);
            _card.Play();
            return (_card, "fake card");
        }, Rate, TimeSpan.FromMilliseconds(60));
    }

    private void Report(object report)
    {
        _everything.Enqueue(report);
        _reports.Add(report);
    }

    public void Dispose() => _output.Dispose();

    /// <summary>1..30000 repeating: no zero sample, and any 20 ms piece is found by its first value.</summary>
    private static short[] Ramp(double seconds) =>
        Enumerable.Range(0, (int)(seconds * Rate)).Select(n => (short)(1 + n % 30_000)).ToArray();

    private T Next<T>(Func<T, bool>? match = null)
    {
        while (_reports.TryTake(out var report, Long))
            if (report is T found && (match is null || match(found))) return found;
        throw new TimeoutException($"no {typeof(T).Name} reported");
    }

    [Fact]
    public void Latency_is_how_long_until_what_was_written_is_heard_and_drain_waits_for_it()
    {
        var tone = Ramp(0.1);
        _output.Write(tone);
        // 100 ms, behind at most the device's 20 ms buffer of the silence it took while idle.
        Assert.InRange(_output.Latency, TimeSpan.FromMilliseconds(80), TimeSpan.FromMilliseconds(120));
        _output.Drain();
        Assert.Equal(TimeSpan.Zero, _output.Latency);
        Assert.Equal(tone, _card.Heard);
    }

    [Fact]
    public void A_flush_drops_what_the_device_has_not_taken_and_only_its_own_buffer_is_still_heard()
    {
        var card = new SteppedSoundCard(DeviceBuffer);
        using var output = new WavePlayerOutput(source => { card.Init(source); card.Play(); return (card, "stepped card"); }, Rate, TimeSpan.FromMilliseconds(60));
        var tone = Ramp(0.2);
        output.Write(tone);
        // 20 ms of silence was taken at the start; 50 ms later the card holds the first 40 ms of the tone.
        card.Advance(TimeSpan.FromMilliseconds(30));
        card.Advance(TimeSpan.FromMilliseconds(20));

        var dropped = Pcm16.SamplesFor(output.Flush(), Rate);
        for (var i = 0; i < 10; i++) card.Advance(TimeSpan.FromMilliseconds(10));

        // Heard is exactly what was not dropped, in order: the accounting the player relies on,
        // and it is what the device had taken: its own 20 ms buffer and what it was playing.
        var heard = card.Played.Where(s => s != 0).ToArray();
        Assert.Equal(tone.Length - dropped, heard.Length);
        Assert.Equal(tone.AsSpan(0, heard.Length).ToArray(), heard);
        Assert.Equal(Pcm16.SamplesFor(TimeSpan.FromMilliseconds(50), Rate), heard.Length);
        Assert.Equal(TimeSpan.Zero, output.Latency);
    }

    [Fact]
    public void A_device_that_stops_with_an_error_fails_the_next_write_with_one_line()
    {
        _card.Fail(new IOException("the device was unplugged"));
        var e = Assert.Throws<AudioDeviceException>(() => _output.Write(Ramp(0.02)));
        Assert.Equal("fake card stopped: the device was unplugged", e.Message);
    }

    [Fact]
    public void The_player_plays_a_turn_completely_in_order_and_reports_it_heard()
    {
        using var player = new AudioPlayer(_output, Report);
        var turn = new TurnId(1);
        var speech = Ramp(0.5);
        player.Enqueue(new AudioChunk(turn, speech, Rate, "A ramp."));
        player.Complete(turn);

        var finished = Next<PlaybackFinished>();
        Assert.Equal("A ramp.", finished.HeardText);
        Assert.Equal(TimeSpan.FromMilliseconds(500), finished.Played);
        Assert.Equal(speech, _card.Heard);
    }

    [Fact]
    public void Pause_and_resume_lose_and_repeat_nothing()
    {
        using var player = new AudioPlayer(_output, Report);
        var turn = new TurnId(2);
        var speech = Ramp(1.2);
        player.Enqueue(new AudioChunk(turn, speech, Rate, "Paused and resumed."));
        player.Complete(turn);

        Next<PlaybackProgress>(p => p.Played >= TimeSpan.FromMilliseconds(300));
        Assert.True(player.Pause());
        Next<PlaybackReferenceCut>();
        // After the flush only what the device had taken plays out; then it is silent.
        Thread.Sleep(100);
        var heardWhenPaused = _card.Heard.Length;
        Thread.Sleep(300);
        Assert.Equal(heardWhenPaused, _card.Heard.Length);

        Assert.True(player.Resume());
        Assert.Equal("Paused and resumed.", Next<PlaybackFinished>().HeardText);
        Assert.Equal(speech, _card.Heard);
    }

    [Fact]
    public void A_stop_reports_exactly_what_was_heard_and_nothing_of_the_turn_plays_later()
    {
        using var player = new AudioPlayer(_output, Report);
        var turn = new TurnId(3);
        player.Enqueue(new AudioChunk(turn, Ramp(3), Rate, "a b c d e f g h i j"));
        Next<PlaybackProgress>(p => p.Played >= TimeSpan.FromSeconds(1));
        player.Stop(turn);
        var stopped = Next<PlaybackStopped>();
        player.Enqueue(new AudioChunk(turn, Ramp(1), Rate, "late"));
        Thread.Sleep(200);

        // The device's own buffer, taken before the flush, was still heard and is counted as heard.
        Assert.Equal(Pcm16.SamplesFor(stopped.Played, Rate), _card.Heard.Length);
        var words = stopped.HeardText.Split(' ');
        Assert.InRange(words.Length, 3, 4); // 1 s of 3 s: about a third of the ten words
        Assert.Equal("a b c d e f g h i j".Split(' ').Take(words.Length), words);
    }

    [Fact]
    public void References_say_whether_they_follow_on_in_the_device()
    {
        using var player = new AudioPlayer(_output, Report);
        var turn = new TurnId(4);
        player.Enqueue(new AudioChunk(turn, Ramp(1), Rate));
        player.Complete(turn);
        Next<PlaybackFinished>();

        var references = _everything.OfType<PlaybackReference>().ToList();
        Assert.Equal(50, references.Count);
        var played = _card.Played;
        var starts = references.Select(r => Array.IndexOf(played, r.Samples.Span[0])).ToList();
        Assert.False(references[0].Continues);
        // "Continues" promises the piece follows the one before in the device without a gap: an
        // echo canceller relies on that, so it must never be claimed for a piece after silence.
        // Saying "does not continue" when it did only costs the canceller a re-alignment; a writer
        // or a card thread held up on a busy machine makes the player's clock say so now and then.
        var followsOn = starts.Select(i => i > 0 && played[i - 1] != 0).ToList();
        var gaps = followsOn.Skip(1).Count(f => !f);
        var overclaimed = references.Where((r, k) => r.Continues && !followsOn[k]).Count();
        // With no gap nothing may be claimed; a gap on a busy machine may open between the
        // player's decision and the card's next turn.
        Assert.True(overclaimed <= gaps, $"{overclaimed} pieces claimed to follow on after a gap ({gaps} gaps)");
        Assert.True(references.Count(r => r.Continues) >= 25, "most pieces should follow on");

    }

    [Fact]
    public void References_are_stamped_with_when_the_device_plays_their_first_sample_exactly()
    {
        // A card and a clock that move only when the test moves them, 10 ms at a time (WASAPI's
        // period): when the card plays sample n of its stream is then known exactly.
        var clock = new ManualClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var start = clock.GetUtcNow();
        var card = new SteppedSoundCard(DeviceBuffer);
        var output = new CountingOutput(new WavePlayerOutput(source => { card.Init(source); card.Play(); return (card, "stepped card"); }, Rate, TimeSpan.FromMilliseconds(60)));
        var references = new BlockingCollection<PlaybackReference>();
        using var player = new AudioPlayer(output, e => { if (e is PlaybackReference r) references.Add(r); }, clock: clock);
        // The card took 20 ms of silence when it started: the first piece is heard after it.
        player.Enqueue(new AudioChunk(new TurnId(6), Ramp(0.5), Rate));

        var stamped = new List<PlaybackReference>();
        while (stamped.Count < 25)
        {
            // Let the writer fill the device (60 ms) and stamp what it wrote, then play 10 ms.
            Assert.True(SpinWait.SpinUntil(() => references.Count + stamped.Count == output.Writes
                && (output.Writes == 25 || output.Latency > TimeSpan.FromMilliseconds(40)), Long), "the writer stopped");
            while (references.TryTake(out var reference)) stamped.Add(reference);
            card.Advance(TimeSpan.FromMilliseconds(10));
            clock.Advance(TimeSpan.FromMilliseconds(10));
        }
        for (var i = 0; i < 10; i++) card.Advance(TimeSpan.FromMilliseconds(10));

        Assert.All(stamped, r => Assert.Equal(start + Pcm16.Duration(card.IndexOf(r.Samples.Span[0]), Rate), r.PlayedAt));
        Assert.Equal(Pcm16.SamplesFor(DeviceBuffer, Rate), card.IndexOf(stamped[0].Samples.Span[0]));
    }

    /// <summary>Counts the writes, so the test knows when every written piece has been stamped.</summary>
    private sealed class CountingOutput(IAudioOutput inner) : IAudioOutput
    {
        private int _writes;

        public int Writes => Volatile.Read(ref _writes);
        public string Name => inner.Name;
        public int SampleRate => inner.SampleRate;
        public TimeSpan BufferSize => inner.BufferSize;
        public TimeSpan Latency => inner.Latency;

        public void Write(ReadOnlySpan<short> samples)
        {
            inner.Write(samples);
            Interlocked.Increment(ref _writes);
        }

        public TimeSpan Flush() => inner.Flush();
        public void Drain() => inner.Drain();
        public void Dispose() => inner.Dispose();
    }

    [Fact]
    public void When_the_device_fails_mid_turn_the_text_still_passes()
    {
        using var player = new AudioPlayer(_output, Report);
        var turn = new TurnId(5);
        player.Enqueue(new AudioChunk(turn, Ramp(0.5), Rate, "First."));
        Next<PlaybackProgress>(p => p.Played >= TimeSpan.FromMilliseconds(100));
        _card.Fail(new IOException("the device was unplugged"));
        player.Enqueue(new AudioChunk(turn, Ramp(0.5), Rate, "Second."));
        player.Complete(turn);

        var failed = Next<PlaybackFailed>();
        Assert.Equal("fake card", failed.Device);
        Assert.Contains("the device was unplugged", failed.Reason);
        Assert.Equal("First. Second.", Next<PlaybackFinished>().HeardText);
    }
}

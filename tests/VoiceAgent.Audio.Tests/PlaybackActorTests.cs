using Akka.Actor;
using Akka.Hosting;
using Akka.TestKit;
using VoiceAgent.Audio.Output;
using VoiceAgent.Dsp;
using VoiceAgent.Core.Protocol;
using VoiceAgent.TestSupport;

namespace VoiceAgent.Audio.Tests;

public sealed class PlaybackActorTests : Akka.Hosting.TestKit.TestKit
{
    private const int Rate = 16_000;
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(15);
    private readonly SimulatedDevice _device = new(Rate, TimeSpan.FromMilliseconds(100));

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider)
    {
    }

    /// <param name="recognizer">Receives the echo reference; null: nobody listens.</param>
    private Task<(IActorRef Playback, TestProbe Events)> StartAsync(IActorRef? recognizer = null)
    {
        var device = _device;
        var playback = Sys.ActorOf(Props.Create(() => new PlaybackActor(() => device, recognizer ?? ActorRefs.Nobody, TimeSpan.FromMilliseconds(20), null)), "playback");
        var events = CreateTestProbe();
        Sys.EventStream.Subscribe(events, typeof(ITurnEvent));
        return Task.FromResult((playback, events));
    }

    [Fact]
    public async Task Marker_chunks_pass_in_order_and_finish_with_the_heard_text()
    {
        var (playback, events) = await StartAsync();
        var turn = new TurnId(1);
        playback.Tell(new AudioChunk(turn, ReadOnlyMemory<short>.Empty, 24_000, "Hello there."));
        playback.Tell(new AudioChunk(turn, ReadOnlyMemory<short>.Empty, 24_000, "How are you?"));
        playback.Tell(new SpeechCompleted(turn));

        var finished = await events.FishForMessageAsync<PlaybackFinished>(_ => true, Long);
        Assert.Equal(turn, finished.Turn);
        Assert.Equal("Hello there. How are you?", finished.HeardText);
        Assert.Equal(TimeSpan.Zero, finished.Played);
    }

    [Fact]
    public async Task Audio_is_played_completely_and_finish_reports_its_duration()
    {
        var (playback, events) = await StartAsync();
        var turn = new TurnId(1);
        var tone = Signals.Sine(440, Rate, 0.5);
        playback.Tell(new AudioChunk(turn, tone, Rate, "A tone."));
        playback.Tell(new SpeechCompleted(turn));

        var started = await events.FishForMessageAsync<PlaybackStarted>(_ => true, Long);
        Assert.Equal(turn, started.Turn);
        var finished = await events.FishForMessageAsync<PlaybackFinished>(_ => true, Long);
        Assert.Equal("A tone.", finished.HeardText);
        Assert.Equal(TimeSpan.FromMilliseconds(500), finished.Played);
        Assert.Equal(tone, _device.Heard);
    }

    [Fact]
    public async Task Chunks_at_another_rate_are_resampled_to_the_output_rate()
    {
        var (playback, events) = await StartAsync();
        var turn = new TurnId(1);
        playback.Tell(new AudioChunk(turn, Signals.Sine(440, 24_000, 0.3), 24_000));
        playback.Tell(new SpeechCompleted(turn));

        var finished = await events.FishForMessageAsync<PlaybackFinished>(_ => true, Long);
        Assert.Equal(TimeSpan.FromMilliseconds(300), finished.Played);
        Assert.InRange(Signals.AmplitudeAt(_device.Heard.AsSpan(800, 3200), 440, Rate), 0.45, 0.55);
    }

    [Fact]
    public async Task Barge_in_mid_turn_stops_with_the_partial_heard_text_and_plays_nothing_later()
    {
        var (playback, events) = await StartAsync();
        var turn = new TurnId(3);
        playback.Tell(new AudioChunk(turn, Signals.Sine(300, Rate, 0.2), Rate, "One two three."));
        // A long second segment whose text is known: its words are heard in proportion.
        playback.Tell(new AudioChunk(turn, Signals.Sine(500, Rate, 5.0), Rate, "a b c d e f g h i j"));

        await events.FishForMessageAsync<PlaybackProgress>(p => p.Played >= TimeSpan.FromSeconds(1), Long);
        playback.Tell(new BargeIn(turn, InputSource.Voice, DateTimeOffset.UtcNow));
        var stopped = await events.FishForMessageAsync<PlaybackStopped>(_ => true, Long);

        Assert.Equal(turn, stopped.Turn);
        Assert.StartsWith("One two three. ", stopped.HeardText);
        var partial = stopped.HeardText["One two three. ".Length..].Split(' ');
        Assert.InRange(partial.Length, 1, 9);
        Assert.Equal("a b c d e f g h i j".Split(' ').Take(partial.Length), partial);

        // Audio of the stopped turn that arrives late is never played.
        var heardAtStop = _device.Heard.Length;
        playback.Tell(new AudioChunk(turn, Signals.Sine(700, Rate, 1.0), Rate, "late"));
        playback.Tell(new SpeechCompleted(turn));
        var next = turn.Next();
        playback.Tell(new AudioChunk(next, Signals.Sine(900, Rate, 0.1), Rate, "Next."));
        playback.Tell(new SpeechCompleted(next));
        var finished = await events.FishForMessageAsync<PlaybackFinished>(_ => true, Long);
        Assert.Equal(next, finished.Turn);
        var heard = _device.Heard;
        Assert.Equal(heardAtStop + 1600, heard.Length);
        Assert.True(Signals.AmplitudeAt(heard.AsSpan(heardAtStop), 700, Rate) < 0.01, "the late chunk was played");
        // What playback reports as played is what the listener heard (to within a millisecond or two).
        Assert.InRange((stopped.Played - Pcm16.Duration(heardAtStop, Rate)).Duration(), TimeSpan.Zero, TimeSpan.FromMilliseconds(2));
    }

    [Fact]
    public async Task Pause_holds_the_audio_and_resume_continues_where_it_stopped_without_loss()
    {
        var (playback, events) = await StartAsync();
        var turn = new TurnId(5);
        var speech = Signals.Sine(440, Rate, 1.5);
        playback.Tell(new AudioChunk(turn, speech, Rate, "Paused and resumed."));
        playback.Tell(new SpeechCompleted(turn));

        await events.FishForMessageAsync<PlaybackProgress>(p => p.Played >= TimeSpan.FromMilliseconds(300), Long);
        playback.Tell(new UserSpeechStarted(turn, DateTimeOffset.UtcNow));
        await events.FishForMessageAsync<PlaybackPaused>(p => p.Turn == turn, Long);
        // Once the player has flushed the device, nothing more is heard until the resume.
        await AwaitConditionAsync(() => Task.FromResult(_device.Flushes >= 1), Long);
        var heardWhenPaused = _device.Heard.Length;
        await Task.Delay(300);
        Assert.Equal(heardWhenPaused, _device.Heard.Length);

        playback.Tell(new UserSpeechDismissed(turn, DateTimeOffset.UtcNow));
        await events.FishForMessageAsync<PlaybackResumed>(p => p.Turn == turn, Long);
        var finished = await events.FishForMessageAsync<PlaybackFinished>(_ => true, Long);
        Assert.Equal("Paused and resumed.", finished.HeardText);
        // Nothing lost, nothing repeated: the listener heard the speech, with at most a
        // millisecond repeated or skipped where it paused (the device kept playing while the
        // pause was being measured and flushed).
        AssertHeardWithOneSplice(speech, _device.Heard, maxSplice: 16);
    }

    [Fact]
    public async Task Speech_onset_while_the_agent_is_silent_does_not_pause()
    {
        var (playback, events) = await StartAsync();
        playback.Tell(new UserSpeechStarted(TurnId.None, DateTimeOffset.UtcNow));
        var turn = new TurnId(1);
        playback.Tell(new AudioChunk(turn, ReadOnlyMemory<short>.Empty, Rate, "Still heard."));
        playback.Tell(new SpeechCompleted(turn));
        var finished = await events.FishForMessageAsync<PlaybackFinished>(_ => true, Long);
        Assert.Equal("Still heard.", finished.HeardText);
    }

    [Fact]
    public async Task Played_audio_goes_to_the_recognizer_as_reference()
    {
        var recognizer = CreateTestProbe();
        var (playback, _) = await StartAsync(recognizer);
        var tone = Signals.Sine(440, Rate, 0.1);
        playback.Tell(new AudioChunk(new TurnId(1), tone, Rate));
        playback.Tell(new SpeechCompleted(new TurnId(1)));

        var received = new List<short>();
        while (received.Count < tone.Length)
            received.AddRange((await recognizer.ExpectMsgAsync<PlaybackReference>(Long)).Samples.ToArray());
        Assert.Equal(tone, received);
    }

    [Fact]
    public async Task References_say_whether_they_follow_on_and_a_pause_withdraws_what_was_not_heard()
    {
        var recognizer = CreateTestProbe();
        var (playback, events) = await StartAsync(recognizer);
        var turn = new TurnId(1);
        var before = DateTimeOffset.UtcNow;
        playback.Tell(new AudioChunk(turn, Signals.Sine(440, Rate, 2.0), Rate));

        // The first piece starts a stream; the ones after it follow on in the device.
        var first = await recognizer.ExpectMsgAsync<PlaybackReference>(Long);
        Assert.False(first.Continues);
        // Its stamp is when its first sample is heard: the device was empty, so about now.
        Assert.InRange(first.PlayedAt, before, DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(50));
        for (var i = 0; i < 5; i++) Assert.True((await recognizer.ExpectMsgAsync<PlaybackReference>(Long)).Continues);

        playback.Tell(new UserSpeechStarted(turn, DateTimeOffset.UtcNow));
        await recognizer.FishForMessageAsync<PlaybackReferenceCut>(_ => true, Long);
        await events.FishForMessageAsync<PlaybackPaused>(_ => true, Long);
        playback.Tell(new UserSpeechDismissed(turn, DateTimeOffset.UtcNow));
        // After the pause, playback starts a new stream.
        Assert.False((await recognizer.FishForMessageAsync<PlaybackReference>(_ => true, Long)).Continues);
    }

    private static void AssertHeardWithOneSplice(short[] expected, short[] heard, int maxSplice)
    {
        var k = 0;
        while (k < expected.Length && k < heard.Length && expected[k] == heard[k]) k++;
        if (k == expected.Length && heard.Length == expected.Length) return;
        for (var j = Math.Max(0, k - maxSplice); j <= Math.Min(expected.Length, k + maxSplice); j++)
        {
            if (heard.Length - k == expected.Length - j && heard.AsSpan(k).SequenceEqual(expected.AsSpan(j))) return;
        }
        Assert.Fail($"heard audio differs from the speech at sample {k} by more than a {maxSplice}-sample splice (heard {heard.Length}, expected {expected.Length})");
    }
}

using Akka.Actor;
using Akka.Hosting;
using VoiceAgent.Audio.Pulse;
using VoiceAgent.Protocol;
using VoiceAgent.TestSupport;

namespace VoiceAgent.Audio.Tests;

/// <summary>The actors on a real PulseAudio server (see <see cref="PulseRequirement"/>).</summary>
public sealed class PulseDeviceTests : Akka.Hosting.TestKit.TestKit
{
    private const int Rate = 16_000;
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Piece = TimeSpan.FromMilliseconds(20);

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider)
    {
    }

    private IActorRef StartPlayback() =>
        Sys.ActorOf(Props.Create(() => new PlaybackActor(
            () => new PulseAudioOutput("vsink", Rate, TimeSpan.FromMilliseconds(100), Piece, null), Piece, null)));

    [Fact]
    public async Task A_tone_played_through_PlaybackActor_is_recorded_from_the_sink_monitor_with_its_length_and_level()
    {
        PulseRequirement.Require();
        var events = CreateTestProbe();
        Sys.EventStream.Subscribe(events, typeof(ITurnEvent));
        await using var recorder = new MonitorRecorder();
        var playback = StartPlayback();
        var turn = new TurnId(1);
        playback.Tell(new AudioChunk(turn, LeadIn(Signals.Sine(440, Rate, 1.0, 0.5)), Rate, "A tone."));
        playback.Tell(new SpeechCompleted(turn));

        var finished = await events.FishForMessageAsync<PlaybackFinished>(_ => true, Long);
        Assert.Equal("A tone.", finished.HeardText);
        await Task.Delay(300); // the monitor delivers in 20 ms fragments
        var recorded = await recorder.StopAsync();

        // All of the tone and nothing more was played, at its level (gaps a starved writer left
        // on a busy machine are silence on the sink, not tone, so they do not count).
        var audible = Audible(recorded);
        Assert.InRange(audible.Length, Rate - 2 * 320, Rate + 2 * 320);
        Assert.InRange(Signals.Rms(audible.AsSpan(1600, Rate - 3200)) * Math.Sqrt(2), 0.47, 0.53);
    }

    [Fact]
    public async Task A_wav_fed_into_the_pipe_source_arrives_through_MicrophoneActor_sample_exact()
    {
        PulseRequirement.Require();
        var recognizer = CreateTestProbe();
        ActorRegistry.For(Sys).Register<RecognizerActorKey>(recognizer);
        var speech = WavFile.Read(RepoPaths.Fixture("jfk.wav")).Samples[..(2 * Rate)];
        var microphone = Sys.ActorOf(Props.Create(() => new MicrophoneActor(() => new PulseAudioCapture("vmic", null), true, null)));

        // The pipe source is not clocked: write in real time, 20 ms at a time, like a sound card.
        var writing = Task.Run(async () =>
        {
            await using var fifo = new FileStream(PulseRequirement.MicFifo, FileMode.Open, FileAccess.Write);
            var bytes = Pcm16.ToBytes(speech);
            var start = System.Diagnostics.Stopwatch.StartNew();
            for (var offset = 0; offset < bytes.Length; offset += 640)
            {
                await fifo.WriteAsync(bytes.AsMemory(offset, Math.Min(640, bytes.Length - offset)));
                await fifo.FlushAsync();
                var due = TimeSpan.FromMilliseconds(20.0 * (offset / 640 + 1)) - start.Elapsed;
                if (due > TimeSpan.Zero) await Task.Delay(due);
            }
        });

        var captured = new List<short>();
        var found = -1;
        while (found < 0)
        {
            var frame = await recognizer.ExpectMsgAsync<AudioFrame>(Long);
            Assert.Equal(CaptureFormat.FrameSamples, frame.Samples.Length);
            captured.AddRange(frame.Samples.ToArray());
            found = IndexOf(captured, speech);
        }
        await writing;
        Sys.Stop(microphone);
        Assert.True(found >= 0);
    }

    private static readonly TimeSpan MeasurementAllowance = TimeSpan.FromMilliseconds(5);

    [Fact]
    public async Task Stopping_playback_mid_utterance_leaves_at_most_one_piece_audible()
    {
        PulseRequirement.Require();
        var events = CreateTestProbe();
        Sys.EventStream.Subscribe(events, typeof(ITurnEvent));
        await using var recorder = new MonitorRecorder();
        var playback = StartPlayback();
        var turn = new TurnId(7);
        playback.Tell(new AudioChunk(turn, LeadIn(Signals.Sine(440, Rate, 3.0, 0.5)), Rate, "A long tone."));

        await events.FishForMessageAsync<PlaybackProgress>(p => p.Played >= LeadInDuration + TimeSpan.FromMilliseconds(600), Long);
        playback.Tell(new BargeIn(turn, InputSource.Voice, DateTimeOffset.UtcNow));
        var stopped = await events.FishForMessageAsync<PlaybackStopped>(_ => true, Long);
        await Task.Delay(400);
        var recorded = await recorder.StopAsync();

        // What the sink played beyond what playback reported as heard: one piece at most. (The
        // report may run a few tens of ms ahead: PulseAudio's latency figure is interpolated.
        // The other way, the measurement itself is good to a few ms: the audible end is found by
        // level detection on the monitor recording; 20.6 ms was seen once.)
        var audible = Pcm16.Duration(Audible(recorded).Length, Rate) + LeadInDuration;
        Assert.InRange(audible - stopped.Played, TimeSpan.FromMilliseconds(-100), Piece + MeasurementAllowance);
        Assert.InRange(audible, TimeSpan.FromMilliseconds(600), TimeSpan.FromMilliseconds(2500));
    }

    private static readonly TimeSpan LeadInDuration = TimeSpan.FromMilliseconds(300);

    /// <summary>Silence before a test signal. An idle null sink that starts playing rewinds, and
    /// its monitor loses the first tens of milliseconds: the lead-in absorbs that.</summary>
    private static short[] LeadIn(short[] signal) => [.. new short[Pcm16.SamplesFor(LeadInDuration, Rate)], .. signal];

    /// <summary>
    /// The samples that belong to the tone: those within half a 440 Hz period of one louder than
    /// -26 dBFS. Counting them measures what the sink played; a span from the first to the last
    /// loud sample would also count the gaps of silence a starved writer leaves on a busy machine.
    /// </summary>
    private static short[] Audible(short[] samples)
    {
        const short threshold = 1600;
        const int halfPeriod = Rate / 440 / 2 + 1;
        var inTone = new bool[samples.Length];
        for (var i = 0; i < samples.Length; i++)
        {
            if (Math.Abs((int)samples[i]) <= threshold) continue;
            for (var j = Math.Max(0, i - halfPeriod); j <= Math.Min(samples.Length - 1, i + halfPeriod); j++) inTone[j] = true;
        }
        var audible = samples.Where((_, i) => inTone[i]).ToArray();
        Assert.True(audible.Length > 0, "nothing audible was recorded");
        return audible;
    }

    private static int IndexOf(List<short> haystack, short[] needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Count; i++)
        {
            var j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return i;
        }
        return -1;
    }
}

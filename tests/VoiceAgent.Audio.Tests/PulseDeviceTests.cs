using Akka.Actor;
using Akka.Hosting;
using VoiceAgent.Audio.Diagnostics;
using VoiceAgent.Audio.Pulse;
using VoiceAgent.Dsp;
using VoiceAgent.Core.Protocol;
using VoiceAgent.TestSupport;

namespace VoiceAgent.Audio.Tests;

/// <summary>The actors on a real PulseAudio server (see <see cref="PulseRequirement"/>).</summary>
[Collection(RealTimeCollection.Name)]
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
            () => new PulseAudioOutput("vsink", Rate, TimeSpan.FromMilliseconds(100), Piece, null), ActorRefs.Nobody, Piece, null)));

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

        // All of the tone was played, at its level. Counted as the audio heard rather than the time
        // from its first to its last sample: on a starved machine the writer can fall behind the
        // sink, which then plays a moment of silence in the middle (an underrun), and the tone ends
        // later without being any longer.
        var parts = AudibleParts(recorded);
        Assert.InRange(parts.Sum(p => p.Length), Rate - 2 * 320, Rate + 2 * 320);
        var longest = parts.MaxBy(p => p.Length);
        Assert.InRange(Signals.AmplitudeAt(recorded.AsSpan(longest.Start + 160, longest.Length - 320), 440, Rate), 0.47, 0.53);
    }

    [Fact]
    public async Task A_wav_fed_into_the_pipe_source_arrives_through_MicrophoneActor_sample_exact()
    {
        PulseRequirement.Require();
        var recognizer = CreateTestProbe();
        var speech = WavFile.Read(RepoPaths.Fixture("jfk.wav")).Samples[..(2 * Rate)];
        var microphone = Sys.ActorOf(Props.Create(() => new MicrophoneActor(() => new PulseAudioCapture("vmic", null), recognizer, true, null)));

        // The pipe source passes on whatever is in the FIFO to whoever records at that moment, and the
        // microphone connects asynchronously (later still on a busy machine, or while the previous
        // test's recording is closing): the speech is fed over and over, so a whole copy arrives
        // after the microphone has connected, whenever that is.
        await using var feed = PipeSource.Start([.. Enumerable.Repeat(speech, 10).SelectMany(copy => copy)]);

        var captured = new List<short>();
        var found = -1;
        while (found < 0)
        {
            var frame = await recognizer.ExpectMsgAsync<AudioFrame>(Long);
            Assert.Equal(CaptureFormat.FrameSamples, frame.Samples.Length);
            captured.AddRange(frame.Samples.ToArray());
            found = IndexOf(captured, speech);
        }
        Sys.Stop(microphone);
        Assert.True(found >= 0);
    }

    [Fact]
    public async Task The_doctor_probe_measures_the_level_of_what_the_microphone_hears()
    {
        PulseRequirement.Require();
        // A tone at amplitude 0.1: RMS -23 dBFS, peak -20 dBFS. Fed for longer than measured, so
        // the whole second measured is tone however late the measurement starts.
        InputLevel level;
        await using (PipeSource.Start(Signals.Sine(440, Rate, 6.0, 0.1)))
            level = await new PulseAudioProbe().MeasureInputAsync("vmic", TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);

        Assert.Equal(TimeSpan.FromSeconds(1), level.Heard);
        Assert.InRange(level.RmsDbfs, -24, -22);
        Assert.InRange(level.PeakDbfs, -20.5, -19.5);
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
        // Audio heard, not the time from its first to its last sample: an underrun on a starved
        // machine puts silence in the middle without playing any more of the tone.
        var audible = Pcm16.Duration(AudibleParts(recorded).Sum(p => p.Length), Rate) + LeadInDuration;
        Assert.InRange(audible - stopped.Played, TimeSpan.FromMilliseconds(-100), Piece + MeasurementAllowance);
        Assert.InRange(audible, TimeSpan.FromMilliseconds(600), TimeSpan.FromMilliseconds(2500));
    }

    private static readonly TimeSpan LeadInDuration = TimeSpan.FromMilliseconds(300);

    /// <summary>Silence before a test signal. An idle null sink that starts playing rewinds, and
    /// its monitor loses the first tens of milliseconds: the lead-in absorbs that.</summary>
    private static short[] LeadIn(short[] signal) => [.. new short[Pcm16.SamplesFor(LeadInDuration, Rate)], .. signal];

    /// <summary>The stretches of audible signal (samples louder than -26 dBFS, with no more than
    /// 10 ms of quiet inside: a tone's zero crossings are far shorter), in order.</summary>
    private static List<(int Start, int Length)> AudibleParts(short[] samples)
    {
        const short threshold = 1600;
        const int longestQuiet = 160;
        var parts = new List<(int Start, int Length)>();
        int start = -1, last = -1;
        for (var i = 0; i < samples.Length; i++)
        {
            if (Math.Abs((int)samples[i]) <= threshold) continue;
            if (start >= 0 && i - last > longestQuiet)
            {
                parts.Add((start, last - start + 1));
                start = -1;
            }
            if (start < 0) start = i;
            last = i;
        }
        if (start >= 0) parts.Add((start, last - start + 1));
        Assert.True(parts.Count > 0, "nothing audible was recorded");
        return parts;
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

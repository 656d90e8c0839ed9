using VoiceAgent.Audio;
using VoiceAgent.Dsp;
using VoiceAgent.Listening.Engine;
using VoiceAgent.Listening.Interruptions;
using VoiceAgent.Core.Protocol;
using VoiceAgent.Simulation;

namespace VoiceAgent.Listening.Tests;

/// <summary>The engine in speaker mode: the agent's own voice comes back through the room and must
/// not interrupt it, while the user still can.</summary>
public class EngineEchoTests(ITestOutputHelper output)
{
    private static readonly TurnId Turn = new(1);

    /// <summary>Agent audio played from 0 s; the microphone hears it <paramref name="delayMs"/> later at <paramref name="gain"/>.</summary>
    private static short[] Room(short[] agent, int delayMs, double gain, short[]? user = null, int userAtMs = 0)
    {
        var delay = delayMs * 16;
        var mic = new short[agent.Length + delay];
        for (var i = 0; i < agent.Length; i++) mic[i + delay] = (short)(agent[i] * gain);
        if (user is not null)
        {
            var at = userAtMs * 16;
            for (var i = 0; i < user.Length && at + i < mic.Length; i++)
                mic[at + i] = (short)Math.Clamp(mic[at + i] + user[i], short.MinValue, short.MaxValue);
        }
        return mic;
    }

    private ListeningEngine SpeakerEngine(short[] agent)
    {
        var engine = new ListeningEngine(new ListeningSettings { Mode = MicrophoneMode.Speaker }, TestModel.Silero());
        engine.AddReference(agent, TimeSpan.Zero);
        engine.AgentSpeaking(Turn);
        return engine;
    }

    [Theory]
    [InlineData(30, 0.5, false)]
    [InlineData(60, 0.7, false)]
    [InlineData(90, 1.0, false)]
    [InlineData(40, 0.5, true)]
    public void The_agents_own_voice_never_starts_speech(int delayMs, double gain, bool synthetic)
    {
        // Recorded speech (with tape hiss) or the synthesizer's voice as the agent.
        var agent = synthetic ? TestModel.Espeak(TestModel.AgentReply) : TestModel.Jfk();
        using var engine = SpeakerEngine(agent);
        var events = TestModel.Feed(engine, Room(agent, delayMs, gain), windows: true);
        foreach (var w in events.OfType<WindowScored>().Where(w => w.Probability > 0.5))
            output.WriteLine($"{w.Start.TotalSeconds:F3} p={w.Probability:F2} mic={w.MicDbfs:F0} res={w.ResidualDbfs:F0} gated={w.Gated}");
        Assert.Empty(events.OfType<SpeechBegan>());
    }

    [Fact]
    public void A_user_talking_over_the_echo_still_barges_in()
    {
        var agent = TestModel.Espeak(TestModel.AgentReply);
        // The user says "ask what you can do for your country" (8.2 s in jfk.wav) at 6 s.
        var user = TestModel.Jfk()[(int)(8.2 * 16000)..];
        using var engine = SpeakerEngine(agent);
        var events = TestModel.Feed(engine, Room(agent, 40, 0.5, user, userAtMs: 6000));
        // The coupling was measured, not guessed: the room's gain is 0.5 (-6 dB).
        Assert.InRange(engine.EchoGate.MeasuredCouplingDb!.Value, -7.5, -4.5);

        var decisions = events.OfType<BargeInDecided>().Select(d => d.Decision).ToList();
        Assert.Equal([BargeInAction.Pause, BargeInAction.Confirm], decisions.Select(d => d.Action).Take(2));
        var pause = decisions[0];
        Assert.InRange(pause.Onset.TotalSeconds, 5.95, 6.15);
        Assert.InRange((pause.At - TimeSpan.FromSeconds(6)).TotalMilliseconds, 0, 150);
        Assert.Equal(Turn, decisions[1].Turn);
    }

    /// <summary>How much of the echo the engine removed from windows 4..10 s (dB, energy-weighted).</summary>
    private static double EchoRemovedDb(ListeningEngine engine, short[] mic)
    {
        double micEnergy = 0, residualEnergy = 0;
        foreach (var w in TestModel.Feed(engine, mic, windows: true).OfType<WindowScored>().Where(w => w.Start.TotalSeconds is >= 4 and < 10))
        {
            micEnergy += Math.Pow(10, w.MicDbfs / 10);
            residualEnergy += Math.Pow(10, w.ResidualDbfs / 10);
        }
        return 10 * Math.Log10(micEnergy / residualEnergy);
    }

    /// <summary>The reference as the player sends it: 20 ms pieces whose time stamps carry a few
    /// samples of jitter and a constant error.</summary>
    private static void AddInPieces(ListeningEngine engine, short[] agent, bool continues)
    {
        var jitter = new Random(11);
        for (var at = 0; at < agent.Length; at += 320)
        {
            var stamp = at + 24 + jitter.Next(-3, 4);
            engine.AddReference(agent.AsSpan(at, Math.Min(320, agent.Length - at)), TimeSpan.FromSeconds(stamp / 16000.0), continues: at > 0 && continues);
        }
    }

    [Fact]
    public void Reference_in_jittered_pieces_is_cancelled_when_the_pieces_are_kept_back_to_back()
    {
        var agent = TestModel.Jfk();
        var mic = Room(agent, 50, 0.3);
        using var whole = SpeakerEngine(agent);
        var exact = EchoRemovedDb(whole, mic);

        using var aligned = new ListeningEngine(new ListeningSettings { Mode = MicrophoneMode.Speaker }, TestModel.Silero());
        AddInPieces(aligned, agent, continues: true);
        var backToBack = EchoRemovedDb(aligned, mic);

        using var stamped = new ListeningEngine(new ListeningSettings { Mode = MicrophoneMode.Speaker }, TestModel.Silero());
        AddInPieces(stamped, agent, continues: false);
        var byStamp = EchoRemovedDb(stamped, mic);

        output.WriteLine($"echo removed: one exact piece {exact:F1} dB, jittered pieces back to back {backToBack:F1} dB, each at its stamp {byStamp:F1} dB");
        Assert.True(backToBack > 20, $"back to back: {backToBack:F1} dB");
        Assert.True(backToBack > exact - 5, $"back to back {backToBack:F1} dB vs exact {exact:F1} dB");
        // Why the aligner exists: a path that moves by a few samples every 20 ms cannot be learned.
        Assert.True(byStamp < backToBack - 10, $"each at its stamp: {byStamp:F1} dB");
    }

    [Fact]
    public void Reference_cut_by_a_pause_is_not_subtracted_from_the_silence_that_follows()
    {
        var agent = TestModel.Jfk()[..(3 * 16000)];
        // The device is flushed at 2 s: the room hears the agent only until then.
        var played = agent.Select((s, i) => i < 2 * 16000 ? s : (short)0).ToArray();
        var mic = Room(played, 50, 0.3);
        using var engine = SpeakerEngine(agent);
        engine.CutReference(TimeSpan.FromSeconds(2));
        var windows = TestModel.Feed(engine, mic, windows: true).OfType<WindowScored>().ToList();
        // After the echo's tail has passed, nothing is left: no phantom of the unplayed reference
        // (which would be as loud as the echo, about -25 dBFS). What remains is the filter's
        // own noise in the taps of a half-second path, near -70 dBFS.
        Assert.All(windows.Where(w => w.Start.TotalSeconds is >= 2.1 and < 2.9), w => Assert.True(w.ResidualDbfs < -60, $"{w.Start.TotalSeconds:F2} s: {w.ResidualDbfs:F0} dBFS"));
        // The echo before the cut was there to cancel (and was).
        Assert.Contains(windows, w => w.Start.TotalSeconds < 2 && w.MicDbfs > -40);
    }

    /// <summary>In every room of the scenario sweep (gains 0.3 to 1.0, 30 and 120 ms, with and
    /// without reverberation), a user who talks over the agent 4 s into its reply, exactly as
    /// loud as the agent's echo, pauses it within 150 ms and the barge-in is confirmed.</summary>
    [Theory]
    [MemberData(nameof(SweepRooms))]
    public void A_user_as_loud_as_the_echo_is_heard_in_every_room(double gain, double delay, double reverbSpacing)
    {
        var room = new RoomSetup { EchoGain = gain, EchoDelay = delay, ReverbSpacing = reverbSpacing, ReverbDecay = RoomSweep.Reverberation.ReverbDecay };
        var agent = TestModel.Espeak(TestModel.AgentReply);
        var echo = RoomEcho.Record(room, agent, 16000);
        // "ask what you can do for your country" (8.2 s into jfk.wav), scaled to the echo's level
        // over the stretch it covers.
        var user = TestModel.Jfk()[(int)(8.2 * 16000)..];
        var at = 4 * 16000;
        var scale = Rms(echo.AsSpan(at, Math.Min(user.Length, echo.Length - at))) / Rms(user);
        var scaled = user.Select(s => (short)Math.Clamp(s * scale, short.MinValue, short.MaxValue)).ToArray();
        using var engine = SpeakerEngine(agent);

        var decisions = FeedPausingOnOnset(engine, room, agent, scaled, at);
        output.WriteLine($"{RoomSweep.Describe(room)}: {string.Join(", ", decisions.Select(d => $"{d.Action} {d.At.TotalMilliseconds:0} ms"))}");

        var speechOnset = TimeSpan.FromSeconds(4) + FirstSound(scaled);
        // (The user goes on talking after the barge-in; the engine, with no conversation behind
        // it, still thinks the agent speaks, so later segments pause again.)
        var pause = decisions.First(d => d.Action == BargeInAction.Pause && d.At >= speechOnset);
        Assert.InRange((pause.At - speechOnset).TotalMilliseconds, 0, 150);
        Assert.Contains(decisions, d => d.Action == BargeInAction.Confirm && d.Onset == pause.Onset);
        // Before the user spoke, the echo alone never paused the reply.
        Assert.DoesNotContain(decisions, d => d.At < speechOnset);
    }

    /// <summary>Feeds the room's microphone to the engine as a pipeline would play it: when the
    /// engine orders a pause, the agent's audio stops there (the device is flushed and the
    /// reference cut), and from then on the room hears only the echo's tail and the user.</summary>
    private static List<BargeInDecision> FeedPausingOnOnset(ListeningEngine engine, RoomSetup room, short[] agent, short[] user, int userAt)
    {
        var mic = RoomEcho.Record(room, agent, 16000, user, userAt);
        var decisions = new List<BargeInDecision>();
        var paused = false;
        for (var offset = 0; offset + CaptureFormat.FrameSamples <= mic.Length; offset += CaptureFormat.FrameSamples)
        {
            var position = Pcm16.Duration(offset, CaptureFormat.SampleRate);
            foreach (var decided in engine.Process(mic.AsSpan(offset, CaptureFormat.FrameSamples), position).OfType<BargeInDecided>())
            {
                decisions.Add(decided.Decision);
                if (paused || decided.Decision.Action != BargeInAction.Pause) continue;
                paused = true;
                var playedUntil = Math.Min(agent.Length, offset + CaptureFormat.FrameSamples);
                var played = agent.Select((sample, i) => i < playedUntil ? sample : (short)0).ToArray();
                mic = RoomEcho.Record(room, played, 16000, user, userAt);
                engine.CutReference(Pcm16.Duration(playedUntil, CaptureFormat.SampleRate));
            }
        }
        return decisions;
    }

    public static TheoryData<double, double, double> SweepRooms()
    {
        var data = new TheoryData<double, double, double>();
        foreach (var room in RoomSweep.Rooms) data.Add(room.EchoGain, room.EchoDelay, room.ReverbSpacing);
        return data;
    }

    private static TimeSpan FirstSound(short[] samples)
    {
        for (var i = 0; i + 160 <= samples.Length; i += 160)
            if (Pcm16.RmsDbfs(samples.AsSpan(i, 160)) > -45) return TimeSpan.FromSeconds(i / 16000.0);
        return TimeSpan.Zero;
    }

    private static double Rms(ReadOnlySpan<short> samples)
    {
        double sum = 0;
        foreach (var s in samples) sum += (double)s * s;
        return Math.Sqrt(sum / Math.Max(1, samples.Length));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(-5)]
    public void A_frame_that_arrives_before_its_reference_waits_for_it(int lateFrames)
    {
        // On a busy machine the reference of the agent's audio can reach the engine after the
        // microphone frames that hold its echo. The frames wait (on the capture clock) and are
        // decided once it has come: the echo is cancelled as if nothing had been late.
        var agent = TestModel.Espeak(TestModel.AgentReply);
        var mic = Room(agent, 40, 0.5);
        using var engine = new ListeningEngine(new ListeningSettings { Mode = MicrophoneMode.Speaker }, TestModel.Silero());
        engine.AgentSpeaking(Turn);
        var events = new List<ListeningEvent>();
        for (var frame = Math.Min(0, lateFrames); (frame + 1) * 320 <= mic.Length; frame++)
        {
            // After the first piece (announced in time, as the start of playback is), the
            // reference of each 20 ms piece arrives four frames after the microphone frame that
            // hears it (80 ms late: the wait is at most 200 ms).
            var piece = frame - lateFrames;
            if (frame == Math.Min(0, lateFrames)) events.AddRange(engine.AddReference(agent.AsSpan(0, 320), TimeSpan.Zero));
            if (piece >= 1 && (piece + 1) * 320 <= agent.Length)
                events.AddRange(engine.AddReference(agent.AsSpan(piece * 320, 320), TimeSpan.FromSeconds(piece * 0.02), continues: true));
            if (frame >= 0) events.AddRange(engine.Process(mic.AsSpan(frame * 320, 320), TimeSpan.FromSeconds(frame * 0.02)));
        }
        events.AddRange(engine.AgentSilent(Turn));
        output.WriteLine($"{engine.FramesThatWaited} frames waited, {engine.ReferenceMissingFrames} without reference");

        Assert.Empty(events.OfType<SpeechBegan>());
        Assert.DoesNotContain(events.OfType<BargeInDecided>(), d => d.Decision.Action == BargeInAction.Pause);
        if (lateFrames > 0) Assert.True(engine.FramesThatWaited > 100, $"{engine.FramesThatWaited} frames waited");
        Assert.Equal(0, engine.ReferenceMissingFrames);
    }

    /// <summary>One sample, as a stamp in the virtual room can be off; 160 and -90 (10 ms late,
    /// 5.6 ms early), as PulseAudio's latency figure placed resumed streams.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(160)]
    [InlineData(-90)]
    public void A_new_stream_placed_off_is_lined_up_by_its_echo(int late)
    {
        // The first four seconds of the reply are placed right; after a pause the rest is
        // stamped off, as a stamp after a resume can be.
        var agent = TestModel.Espeak(TestModel.AgentReply);
        var mic = Room(agent, 40, 0.5);
        using var engine = new ListeningEngine(new ListeningSettings { Mode = MicrophoneMode.Speaker }, TestModel.Silero());
        engine.AgentSpeaking(Turn);
        var split = 4 * 16000;
        engine.AddReference(agent.AsSpan(0, split), TimeSpan.Zero);
        engine.AddReference(agent.AsSpan(split), TimeSpan.FromSeconds((split + late) / 16000.0), continues: false);
        var windows = TestModel.Feed(engine, mic, windows: true).OfType<WindowScored>().ToList();

        Assert.True(engine.Realignments >= 1, "the reference was never moved");
        double micEnergy = 0, residualEnergy = 0;
        foreach (var w in windows.Where(w => w.Start.TotalSeconds is >= 5 and < 8))
        {
            micEnergy += Math.Pow(10, w.MicDbfs / 10);
            residualEnergy += Math.Pow(10, w.ResidualDbfs / 10);
        }
        var removed = 10 * Math.Log10(micEnergy / residualEnergy);
        output.WriteLine($"echo removed after the realignment: {removed:F1} dB, {engine.Realignments} realignment(s)");
        Assert.True(removed > 20, $"{removed:F1} dB");
    }

    [Fact]
    public void Headset_mode_ignores_the_reference()
    {
        var agent = TestModel.Jfk();
        using var engine = new ListeningEngine(new ListeningSettings { Mode = MicrophoneMode.Headset }, TestModel.Silero());
        engine.AddReference(agent, TimeSpan.Zero);
        engine.AgentSpeaking(Turn);
        // The same echo, unhandled, reads as speech: headset mode assumes none reaches the mic.
        Assert.NotEmpty(TestModel.Feed(engine, Room(agent, 30, 0.5)).OfType<SpeechBegan>());
    }
}

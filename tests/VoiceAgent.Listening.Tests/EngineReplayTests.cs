using VoiceAgent.Audio;
using VoiceAgent.Dsp;
using VoiceAgent.Listening.Engine;
using VoiceAgent.Listening.Interruptions;
using VoiceAgent.Core.Protocol;
using VoiceAgent.Simulation;

namespace VoiceAgent.Listening.Tests;

/// <summary>A recording of (microphone, played audio with its stamps) replayed through the engine
/// alone: the capture clock and the placement of played audio are the engine's, so the outcome is
/// the live pipeline's.</summary>
public class EngineReplayTests(ITestOutputHelper output)
{
    private static readonly TurnId Turn = new(1);
    private static readonly DateTimeOffset CaptureStart = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly RoomSetup Room = new() { EchoGain = 0.5, EchoDelay = 0.04 };
    // Playback begins just after capture: the first pieces are announced before the first frame.
    private static readonly TimeSpan PlaybackStart = TimeSpan.FromMilliseconds(50);
    // The player announces each piece this long before it is heard.
    private static readonly TimeSpan AnnouncedAhead = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan UserAt = TimeSpan.FromSeconds(6);

    /// <summary>The agent's reply at the synthesizer's own rate, played into the room from
    /// <see cref="PlaybackStart"/>; the microphone hears its echo and, if given, the user.</summary>
    private static ListeningRecording Record(WavAudio agent, short[]? user)
    {
        var atCaptureRate = Resampler.Convert(agent.Samples, agent.SampleRate, CaptureFormat.SampleRate);
        var start = Pcm16.SamplesFor(PlaybackStart, CaptureFormat.SampleRate);
        var played = new short[start + atCaptureRate.Length + CaptureFormat.SampleRate];
        atCaptureRate.CopyTo(played, start);
        var microphone = RoomEcho.Record(Room, played, CaptureFormat.SampleRate, user, Pcm16.SamplesFor(UserAt, CaptureFormat.SampleRate));

        var timeline = new List<RecordedInput>();
        // Each frame reaches the listener 1 to 8 ms after its last sample was captured.
        var delay = new Random(5);
        for (long first = 0; first + CaptureFormat.FrameSamples <= microphone.Length; first += CaptureFormat.FrameSamples)
            timeline.Add(new RecordedFrame(first, Pcm16.Duration(first + CaptureFormat.FrameSamples, CaptureFormat.SampleRate) + TimeSpan.FromMilliseconds(1 + delay.Next(8))));
        var piece = agent.SampleRate / 50;
        for (var first = 0; first < agent.Samples.Length; first += piece)
        {
            var playedAt = PlaybackStart + Pcm16.Duration(first, agent.SampleRate);
            timeline.Add(new RecordedPiece(first, Math.Min(piece, agent.Samples.Length - first), playedAt, first > 0, playedAt - AnnouncedAhead));
        }
        return new ListeningRecording(microphone, agent.Samples, agent.SampleRate, timeline.OrderBy(input => input.ArrivedAt).ToList());
    }

    /// <summary>Writes the recording, reads it back and replays it through a fresh engine in speaker mode.</summary>
    private List<ListeningEvent> ReplayFromFiles(ListeningRecording recording)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"listening-recording-{Guid.NewGuid():N}");
        try
        {
            recording.Save(folder);
            var loaded = ListeningRecording.Load(folder);
            Assert.Equal(recording.Timeline, loaded.Timeline);
            using var engine = new ListeningEngine(new ListeningSettings { Mode = MicrophoneMode.Speaker }, TestModel.Silero());
            engine.AgentSpeaking(Turn);
            var events = loaded.Replay(engine, CaptureStart);
            output.WriteLine($"{engine.Realignments} realignment(s), {engine.FramesThatWaited} frames waited, coupling {engine.EchoGate.MeasuredCouplingDb:F1} dB");
            return events;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_echo_alone_never_barges_in()
    {
        var events = ReplayFromFiles(Record(TestModel.EspeakAsPlayed(TestModel.AgentReply), user: null));

        Assert.Empty(events.OfType<SpeechBegan>());
        Assert.Empty(events.OfType<BargeInDecided>());
    }

    [Fact]
    public void A_user_talking_over_the_echo_barges_in_when_they_start()
    {
        // The user says "ask what you can do for your country" (8.2 s in jfk.wav) 6 s into capture.
        var user = TestModel.Jfk()[(int)(8.2 * 16000)..];
        var events = ReplayFromFiles(Record(TestModel.EspeakAsPlayed(TestModel.AgentReply), user));

        var decisions = events.OfType<BargeInDecided>().Select(d => d.Decision).ToList();
        Assert.Equal([BargeInAction.Pause, BargeInAction.Confirm], decisions.Select(d => d.Action).Take(2));
        var pause = decisions[0];
        Assert.InRange(pause.Onset.TotalSeconds, 5.95, 6.15);
        Assert.InRange((pause.At - UserAt).TotalMilliseconds, 0, 150);
        Assert.Equal(Turn, decisions[1].Turn);
    }
}

using VoiceAgent.Listening.Engine;
using VoiceAgent.Listening.Interruptions;
using VoiceAgent.Protocol;

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

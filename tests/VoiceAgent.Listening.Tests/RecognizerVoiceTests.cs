using Akka.Actor;
using Akka.Hosting;
using Akka.TestKit;
using VoiceAgent.Listening.Engine;
using VoiceAgent.Listening.Recognition;
using VoiceAgent.Protocol;

namespace VoiceAgent.Listening.Tests;

/// <summary>The RecognizerActor with the real Silero model and a real HTTP transcription server.</summary>
public class RecognizerVoiceTests(ITestOutputHelper output) : PipelineProbesTestKit(output)
{
    private static void Speak(IActorRef recognizer, short[] audio, TimeSpan start = default)
    {
        for (var offset = 0; offset + CaptureFormat.FrameSamples <= audio.Length; offset += CaptureFormat.FrameSamples)
        {
            var position = start + TimeSpan.FromSeconds(offset / (double)CaptureFormat.SampleRate);
            recognizer.Tell(new AudioFrame(audio.AsMemory(offset, CaptureFormat.FrameSamples), position));
        }
    }

    [Fact]
    public async Task Speech_over_the_agent_pauses_interrupts_and_is_transcribed()
    {
        await using var server = await TranscriptionServer.StartAsync();
        var settings = new ListeningSettings { Mode = MicrophoneMode.Headset };
        var recognizer = new OpenAiTranscriptionRecognizer(server.BaseUrl.ToString(), "whisper-1", "en");
        var engine = new ListeningEngine(settings, TestModel.Silero());
        var actor = Sys.ActorOf(Props.Create(() => new RecognizerActor(settings, recognizer, null, engine, null)));

        var turn = new TurnId(5);
        actor.Tell(new AgentTurnStarted(turn, "hi", "test", DateTimeOffset.UtcNow));
        // "And so my fellow Americans" (0.3–2.2 s), then a second of silence to end the utterance.
        Speak(actor, [.. TestModel.Jfk()[..(int)(2.6 * 16000)], .. new short[16000]]);

        Assert.Equal(turn, PlaybackProbe.ExpectMsg<UserSpeechStarted>(TimeSpan.FromSeconds(10)).AgentTurn);
        Assert.Equal(turn, PlaybackProbe.ExpectMsg<BargeIn>().Turn);
        Assert.Equal(turn, TtsProbe.ExpectMsg<BargeIn>().Turn);
        var bargeIn = ConversationProbe.ExpectMsg<BargeIn>();
        Assert.Equal(InputSource.Voice, bargeIn.Source);
        var transcript = ConversationProbe.ExpectMsg<TranscriptFinal>(TimeSpan.FromSeconds(10));
        Assert.Equal((server.Answer, InputSource.Voice), (transcript.Text, transcript.Source));

        // The uploaded utterance is the phrase with its padding, not the whole stream.
        var uploaded = Assert.Single(server.Requests).Audio;
        Assert.InRange(uploaded.Duration.TotalSeconds, 1.9, 2.6);
    }

    [Fact]
    public void A_cough_pauses_and_resumes_without_interrupting()
    {
        var settings = new ListeningSettings { Mode = MicrophoneMode.Headset };
        var engine = new ListeningEngine(settings, TestModel.Silero());
        var actor = Sys.ActorOf(Props.Create(() => new RecognizerActor(settings, null, null, engine, null)));
        var turn = new TurnId(2);
        actor.Tell(new AgentTurnStarted(turn, "hi", "test", DateTimeOffset.UtcNow));

        // A short speech burst: the first 120 ms of "Americans" (1.2 s into jfk), then silence.
        var jfk = TestModel.Jfk();
        Speak(actor, [.. new short[3200], .. jfk[(int)(0.7 * 16000)..(int)(0.84 * 16000)], .. new short[32000]]);

        Assert.Equal(turn, PlaybackProbe.ExpectMsg<UserSpeechStarted>(TimeSpan.FromSeconds(10)).AgentTurn);
        Assert.Equal(turn, PlaybackProbe.ExpectMsg<UserSpeechDismissed>(TimeSpan.FromSeconds(10)).AgentTurn);
        TtsProbe.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Push_to_talk_ignores_speech_unless_held()
    {
        var settings = new ListeningSettings { Mode = MicrophoneMode.PushToTalk };
        var engine = new ListeningEngine(settings, TestModel.Silero());
        var actor = Sys.ActorOf(Props.Create(() => new RecognizerActor(settings, null, null, engine, null)));
        var started = CreateTestProbe();
        Sys.EventStream.Subscribe(started.Ref, typeof(UserSpeechStarted));
        var jfk = TestModel.Jfk()[..(int)(2.2 * 16000)];

        Speak(actor, jfk);
        actor.Tell(new NotifyWhenIdle());
        ConversationProbe.ExpectMsg<NotifyWhenIdle>(TimeSpan.FromSeconds(10));
        started.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        actor.Tell(new PushToTalk(true));
        Speak(actor, jfk, TimeSpan.FromSeconds(3));
        started.ExpectMsg<UserSpeechStarted>(TimeSpan.FromSeconds(10));
    }
}

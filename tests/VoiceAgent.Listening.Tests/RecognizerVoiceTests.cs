using Akka.Actor;
using Akka.Hosting;
using Akka.TestKit;
using VoiceAgent.Listening.Engine;
using VoiceAgent.Listening.Models;
using VoiceAgent.Listening.Recognition;
using VoiceAgent.Listening.Recognition.Whisper;
using VoiceAgent.Core.Protocol;
using VoiceAgent.TestSupport;

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

        // Two uploads: the overlap heard over the agent (words decide the barge-in), and the
        // utterance, which is the phrase with its padding, not the whole stream.
        var uploads = server.Requests.Select(r => r.Audio.Duration.TotalSeconds).Order().ToList();
        Assert.Equal(2, uploads.Count);
        Assert.InRange(uploads[0], 0.2, 1.5);
        Assert.InRange(uploads[1], 1.9, 2.6);
    }

    /// <summary>A speaker-mode recognizer (echo cancelling, no speech recognizer) and a probe for
    /// the onsets it publishes.</summary>
    private (IActorRef Actor, TestProbe Onsets) SpeakerModeRecognizer()
    {
        var settings = new ListeningSettings { Mode = MicrophoneMode.Speaker };
        var engine = new ListeningEngine(settings, TestModel.Silero());
        var actor = Sys.ActorOf(Props.Create(() => new RecognizerActor(settings, null, null, engine, null)));
        var onsets = CreateTestProbe();
        Sys.EventStream.Subscribe(onsets.Ref, typeof(UserSpeechStarted));
        return (actor, onsets);
    }

    /// <summary>jfk.wav's first 2.2 s as played by the agent, and a microphone track that hears it
    /// at half level from <paramref name="playedAt"/>.</summary>
    private static (short[] Played, short[] Microphone) AgentHeardAt(TimeSpan playedAt, TimeSpan length)
    {
        var played = TestModel.Jfk()[..(int)(2.2 * 16000)];
        var microphone = new short[(int)(length.TotalSeconds * 16000)];
        for (var i = 0; i < played.Length; i++) microphone[(int)(playedAt.TotalSeconds * 16000) + i] = (short)(played[i] / 2);
        return (played, microphone);
    }

    /// <summary>Tells the frames of samples [from, to) as a microphone started at
    /// <paramref name="captureStart"/> delivered them (3 ms after each was complete).</summary>
    private static void Deliver(IActorRef actor, short[] microphone, DateTimeOffset captureStart, int from, int to)
    {
        for (var offset = from; offset + CaptureFormat.FrameSamples <= to; offset += CaptureFormat.FrameSamples)
        {
            var position = TimeSpan.FromSeconds(offset / (double)CaptureFormat.SampleRate);
            var delivered = captureStart + position + TimeSpan.FromMilliseconds(20 + 3);
            actor.Tell(new AudioFrame(microphone.AsMemory(offset, CaptureFormat.FrameSamples), position) { ArrivedAt = delivered });
        }
    }

    /// <summary>A listener that runs behind (a busy machine, a model loading) handles every
    /// frame long after the microphone delivered it. The capture clock must come from when the
    /// frames were delivered: mapped from when they were handled, played audio lands on the
    /// capture clock as early as the listener is late (seen: 650 ms), its echo meets no
    /// reference and passes for the user.</summary>
    [Fact]
    public void A_listener_running_seconds_behind_still_recognizes_the_agents_echo()
    {
        var (actor, onsets) = SpeakerModeRecognizer();
        // Capture began 3 s ago; every frame below reaches the actor now, in one burst.
        var captureStart = DateTimeOffset.UtcNow - TimeSpan.FromSeconds(3);
        var playedAt = TimeSpan.FromSeconds(2);
        var (played, microphone) = AgentHeardAt(playedAt, TimeSpan.FromSeconds(5));
        var playedFrom = (int)(playedAt.TotalSeconds * 16000);

        actor.Tell(new AgentTurnStarted(new TurnId(4), "hi", "test", DateTimeOffset.UtcNow));
        Deliver(actor, microphone, captureStart, 0, playedFrom);
        actor.Tell(new PlaybackReference(played, CaptureFormat.SampleRate, captureStart + playedAt));
        Deliver(actor, microphone, captureStart, playedFrom, microphone.Length);
        CaughtUp(actor, TimeSpan.FromSeconds(20));
        onsets.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    /// <summary>The microphone can start while the agent already speaks (a device opened late, a
    /// busy machine). Played audio announced before the first frame cannot be placed on a capture
    /// clock that does not exist yet; dropped, its echo would meet no reference and pass for the
    /// user. It waits for the clock instead.</summary>
    [Fact]
    public void Audio_played_before_the_microphone_started_is_still_recognized_as_echo()
    {
        var (actor, onsets) = SpeakerModeRecognizer();
        var captureStart = DateTimeOffset.UtcNow;
        var playedAt = TimeSpan.FromMilliseconds(100);
        var (played, microphone) = AgentHeardAt(playedAt, TimeSpan.FromSeconds(3.5));

        actor.Tell(new AgentTurnStarted(new TurnId(6), "hi", "test", DateTimeOffset.UtcNow));
        actor.Tell(new PlaybackReference(played, CaptureFormat.SampleRate, captureStart + playedAt));
        Deliver(actor, microphone, captureStart, 0, microphone.Length);
        CaughtUp(actor, TimeSpan.FromSeconds(20));
        onsets.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
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
        CaughtUp(actor, TimeSpan.FromSeconds(10));
        started.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        actor.Tell(new PushToTalk(true));
        Speak(actor, jfk, TimeSpan.FromSeconds(3));
        started.ExpectMsg<UserSpeechStarted>(TimeSpan.FromSeconds(10));
    }

    /// <summary>A test double for a slow engine (a big model on a busy machine): an utterance
    /// longer than two seconds takes until the test lets it go; shorter ones are answered at once.</summary>
    private sealed class LongUtterancesHeld : ISpeechRecognizer
    {
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => "held";

        public string Description => "long utterances held (test double)";

        public async Task<string> TranscribeAsync(ReadOnlyMemory<short> utterance, CancellationToken cancellationToken)
        {
            var seconds = utterance.Length / (double)CaptureFormat.SampleRate;
            if (seconds > 2) await Release.Task.WaitAsync(cancellationToken);
            return $"{seconds:0.0} s";
        }

        public void Dispose() => Release.TrySetCanceled();
    }

    [Fact]
    public void A_slow_transcription_holds_up_neither_the_next_utterance_nor_the_mailbox()
    {
        // Each utterance its own turn, as it is transcribed: the words would join them into one.
        var settings = new ListeningSettings
        {
            Mode = MicrophoneMode.Headset,
            MinSilence = TimeSpan.FromMilliseconds(300),
            Turn = new Turns.TurnSettings { Detector = Turns.TurnDetector.Silence },
        };
        var recognizer = new LongUtterancesHeld();
        var engine = new ListeningEngine(settings, TestModel.Silero());
        var actor = Sys.ActorOf(Props.Create(() => new RecognizerActor(settings, recognizer, null, engine, null)));

        // "And so my fellow Americans" (0.3–2.2 s, 2.3 s with its padding: held) and "ask not"
        // (3.3–4.3 s, 1.4 s): two utterances.
        Speak(actor, [.. TestModel.Jfk()[..(int)(4.6 * 16000)], .. new short[16000]]);

        // The second is heard while the first is still being recognized...
        var second = ConversationProbe.ExpectMsg<TranscriptFinal>(TimeSpan.FromSeconds(30));
        Assert.InRange(second.SpeechLength!.Value.TotalSeconds, 0.8, 1.6);
        // ...and the actor still answers at once: the slow call is not on its mailbox.
        CaughtUp(actor, TimeSpan.FromSeconds(30));
        Assert.False(recognizer.Release.Task.IsCompleted);

        recognizer.Release.SetResult();
        var first = ConversationProbe.ExpectMsg<TranscriptFinal>(TimeSpan.FromSeconds(30));
        Assert.InRange(first.SpeechLength!.Value.TotalSeconds, 1.9, 2.6);
        Assert.Equal($"{first.SpeechLength.Value.TotalSeconds:0.0} s", first.Text);
        // Its latency counts from the end of its own speech, so the wait shows.
        Assert.True(first.RecognitionLatency > second.RecognitionLatency);
    }

    public static TheoryData<string, string, string, bool> BadModelsAtStart => new()
    {
        // Named explicitly: no voice input, and why.
        { "whisper", "corrupt", "invalid model data (bad magic)", false },
        // auto: PocketSphinx listens instead, and the console says what was wrong with the model.
        { "auto", "truncated", "not all tensors loaded from model file", true },
    };

    [Theory]
    [MemberData(nameof(BadModelsAtStart))]
    public void A_whisper_model_that_does_not_load_is_one_line_at_start(string choice, string kind, string cause, bool voiceInput)
    {
        var model = kind == "corrupt" ? TestWhisperModels.Corrupt() : TestWhisperModels.Truncated();
        var settings = new ListeningSettings
        {
            Recognizer = choice,
            VadModel = TestModel.Path,
            Models = new ModelsOptions { Folder = TestWhisperModels.NewFolder("models") },
            Whisper = new WhisperOptions { Model = model, Threads = 1 },
        };
        var ready = CreateTestProbe();
        Sys.EventStream.Subscribe(ready.Ref, typeof(RecognizerReady));

        Sys.ActorOf(Props.Create(() => new RecognizerActor(settings, new ConfiguredListeningEngines(), null, true)));

        // Before any speech: the announcement the console shows as the app starts.
        var announced = ready.ExpectMsg<RecognizerReady>(TimeSpan.FromSeconds(30));
        Assert.Equal(voiceInput, announced.VoiceInput);
        Assert.DoesNotContain('\n', announced.Description);
        Assert.Contains(model, announced.Description);
        Assert.Contains(cause, announced.Description);
    }
}

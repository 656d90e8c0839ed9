using System.Collections.Concurrent;
using Akka.Actor;
using Akka.TestKit;
using VoiceAgent.Core.Protocol;
using VoiceAgent.Listening.Engine;
using VoiceAgent.Listening.Turns;

namespace VoiceAgent.Listening.Tests;

/// <summary>The end of the user's turn through the RecognizerActor: the real Silero VAD on jfk.wav
/// ("And so my fellow Americans" 0.3–2.2 s, "ask not" 3.3–4.3 s) and a recognizer that answers
/// with scripted words. Time passes only with the audio fed, so each step waits for the words to
/// be taken in before more audio comes.</summary>
public class RecognizerTurnTests(ITestOutputHelper output) : PipelineProbesTestKit(output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    /// <summary>Answers each utterance with the next scripted words, and notes where it lay.</summary>
    private sealed class ScriptedRecognizer(params string[] words) : ISpeechRecognizer
    {
        private readonly ConcurrentQueue<string> _words = new(words);

        public ConcurrentQueue<TimeSpan> CaptureStarts { get; } = new();

        public string Name => "scripted";

        public string Description => "scripted words (test double)";

        public Task<string> TranscribeAsync(ReadOnlyMemory<short> utterance, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the recognizer is told where the utterance lies");

        public Task<string> TranscribeAsync(ReadOnlyMemory<short> utterance, TimeSpan captureStart, CancellationToken cancellationToken)
        {
            CaptureStarts.Enqueue(captureStart);
            return Task.FromResult(_words.TryDequeue(out var next) ? next : "");
        }

        public void Dispose()
        {
        }
    }

    private (IActorRef Actor, TestProbe Turn) Recognizer(ISpeechRecognizer recognizer, TurnSettings? turn = null)
    {
        var settings = new ListeningSettings { Mode = MicrophoneMode.Headset, Turn = turn ?? new TurnSettings() };
        var engine = new ListeningEngine(settings, TestModel.Silero());
        var actor = Sys.ActorOf(Props.Create(() => new RecognizerActor(settings, recognizer, null, engine, null)));
        var probe = CreateTestProbe();
        Sys.EventStream.Subscribe(probe.Ref, typeof(TranscriptPreliminary));
        Sys.EventStream.Subscribe(probe.Ref, typeof(UserTurnContinued));
        Sys.EventStream.Subscribe(probe.Ref, typeof(TranscriptFinal));
        return (actor, probe);
    }

    /// <summary>Tells samples [from, to) of <paramref name="audio"/> as 20 ms microphone frames.</summary>
    private static void Feed(IActorRef actor, short[] audio, double fromSeconds, double toSeconds)
    {
        var from = (int)(fromSeconds * CaptureFormat.SampleRate);
        var to = Math.Min(audio.Length, (int)(toSeconds * CaptureFormat.SampleRate));
        for (var offset = from; offset + CaptureFormat.FrameSamples <= to; offset += CaptureFormat.FrameSamples)
            actor.Tell(new AudioFrame(audio.AsMemory(offset, CaptureFormat.FrameSamples), TimeSpan.FromSeconds(offset / (double)CaptureFormat.SampleRate)));
    }

    /// <summary>jfk.wav up to <paramref name="speechUntil"/> seconds, then silence.</summary>
    private static short[] JfkThenSilence(double speechUntil, double total)
    {
        var audio = new short[(int)(total * CaptureFormat.SampleRate)];
        TestModel.Jfk().AsSpan(0, (int)(speechUntil * CaptureFormat.SampleRate)).CopyTo(audio);
        return audio;
    }

    public static TheoryData<string, string, int> Endings => new()
    {
        { "and so my fellow americans", "no cue in the words", 800 },
        { "and so my fellow americans and", "trailing conjunction", 2000 },
        { "and so my fellow americans um", "filler", 2000 },
        { "and so my fellow americans of the", "unfinished clause", 2000 },
        { "And so, my fellow Americans.", "complete sentence", 500 },
        { "Are you my fellow Americans?", "question", 500 },
    };

    [Theory]
    [MemberData(nameof(Endings))]
    public void The_turn_ends_after_the_silence_its_words_call_for(string words, string reason, int silenceMs)
    {
        var recognizer = new ScriptedRecognizer(words);
        var (actor, turn) = Recognizer(recognizer);
        var audio = JfkThenSilence(2.3, 6);

        // Until the VAD has ended the utterance (500 ms of silence) and a little more.
        Feed(actor, audio, 0, 2.8);
        var first = turn.ExpectMsg<IPipelineEvent>(Patience);
        Feed(actor, audio, 2.8, 6);
        var final = first as TranscriptFinal ?? turn.ExpectMsg<TranscriptFinal>(Patience);

        var delay = final.EndOfTurnDelay!.Value.TotalMilliseconds;
        TestContext.Current.TestOutputHelper?.WriteLine($"{reason}: end of turn {delay:0} ms after the speech ended");
        Assert.Equal((words, reason), (final.Text, final.EndOfTurnReason));
        if (silenceMs > 600)
        {
            Assert.Equal(words, Assert.IsType<TranscriptPreliminary>(first).Text);
            Assert.InRange(delay, silenceMs, silenceMs + 40);
        }
        else
        {
            // Finished words end the turn as soon as they are there (fed until 0.5–0.7 s after the
            // speech): the VAD's silence was enough.
            Assert.InRange(delay, 500, 700);
        }
        var start = Assert.Single(recognizer.CaptureStarts);
        Assert.InRange(start.TotalSeconds, 0, 0.4);
    }

    [Fact]
    public void A_pause_mid_sentence_keeps_one_turn_and_joins_its_words()
    {
        var recognizer = new ScriptedRecognizer("and so my fellow americans and", "ask not");
        var (actor, turn) = Recognizer(recognizer);
        var audio = JfkThenSilence(4.6, 7);

        Feed(actor, audio, 0, 2.8);
        Assert.Equal("and so my fellow americans and", turn.ExpectMsg<TranscriptPreliminary>(Patience).Text);
        // "ask not" begins 1.1 s after "Americans": within the 2 s a trailing "and" waits.
        Feed(actor, audio, 2.8, 7);
        turn.ExpectMsg<UserTurnContinued>(Patience);
        var final = turn.ExpectMsg<TranscriptFinal>(Patience);

        Assert.Equal("and so my fellow americans and ask not", final.Text);
        Assert.Equal("no cue in the words", final.EndOfTurnReason);
        Assert.Equal(2, recognizer.CaptureStarts.Count);
        Assert.InRange(recognizer.CaptureStarts.Last().TotalSeconds, 2.8, 3.4);
        ConversationProbe.ExpectMsg<TranscriptFinal>(Patience);
        ConversationProbe.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void With_the_silence_detector_each_utterance_is_a_turn_at_its_transcript()
    {
        var recognizer = new ScriptedRecognizer("and so my fellow americans and", "ask not");
        var (actor, turn) = Recognizer(recognizer, new TurnSettings { Detector = TurnDetector.Silence });
        var audio = JfkThenSilence(4.6, 7);

        Feed(actor, audio, 0, 7);
        Assert.Equal("and so my fellow americans and", turn.ExpectMsg<TranscriptFinal>(Patience).Text);
        Assert.Equal("ask not", turn.ExpectMsg<TranscriptFinal>(Patience).Text);
        turn.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }
}

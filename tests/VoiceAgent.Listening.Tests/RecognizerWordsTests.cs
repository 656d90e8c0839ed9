using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using Akka.TestKit;
using VoiceAgent.Core.Protocol;
using VoiceAgent.Listening.Engine;
using VoiceAgent.Listening.Interruptions;
using VoiceAgent.Listening.Recognition;

namespace VoiceAgent.Listening.Tests;

/// <summary>Words deciding barge-ins and screening transcripts, end to end through the
/// RecognizerActor with the real Silero model and a scripted recognizer.</summary>
public class RecognizerWordsTests(ITestOutputHelper output) : PipelineProbesTestKit(output)
{
    private static readonly TurnId Turn = new(9);

    /// <summary>A recognizer test double: answers what its script says for the audio it is
    /// given (its length and capture-clock start), and records every call. An answer the script
    /// leaves null is held until the test ends.</summary>
    private sealed class ScriptedRecognizerTestDouble(Func<TimeSpan, TimeSpan, string?> script) : ISpeechRecognizer
    {
        private readonly TaskCompletionSource _end = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<(TimeSpan Start, TimeSpan Length)> Calls { get; } = new();

        public string Name => "scripted";

        public string Description => "scripted words (test double)";

        public Task<string> TranscribeAsync(ReadOnlyMemory<short> utterance, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the recognizer must be told where the audio lies");

        public async Task<string> TranscribeAsync(ReadOnlyMemory<short> utterance, TimeSpan captureStart, CancellationToken cancellationToken)
        {
            var length = TimeSpan.FromSeconds(utterance.Length / (double)CaptureFormat.SampleRate);
            Calls.Enqueue((captureStart, length));
            if (script(captureStart, length) is { } text) return text;
            await _end.Task.WaitAsync(cancellationToken);
            return "";
        }

        public void Dispose() => _end.TrySetCanceled();
    }

    /// <summary>Overlaps (shorter than the whole utterance) and the utterance get their own words.</summary>
    private static ScriptedRecognizerTestDouble Saying(string? overlap, string utterance) =>
        new((_, length) => length < TimeSpan.FromSeconds(1.5) ? overlap : utterance);

    private IActorRef Recognizer(ISpeechRecognizer recognizer, ListeningSettings? settings = null)
    {
        settings ??= new ListeningSettings { Mode = MicrophoneMode.Headset };
        var engine = new ListeningEngine(settings, TestModel.Silero());
        return Sys.ActorOf(Props.Create(() => new RecognizerActor(settings, recognizer, null, engine, null)));
    }

    /// <summary>"And so my fellow Americans" (0.3–2.2 s of jfk.wav) and a second of silence, as a
    /// microphone started at <paramref name="captureStart"/> delivered it, from
    /// <paramref name="from"/> to <paramref name="to"/> seconds. Told at once, frames run far ahead
    /// of a recognizer's answer on the capture clock: a test that wants the words to come in time
    /// stops the audio (and so the capture clock) until they have.</summary>
    private static void Speak(IActorRef actor, DateTimeOffset captureStart, double from = 0, double to = 3.6)
    {
        short[] audio = [.. TestModel.Jfk()[..(int)(2.6 * 16000)], .. new short[16000]];
        for (var offset = (int)(from * 16000); offset + CaptureFormat.FrameSamples <= (int)(to * 16000); offset += CaptureFormat.FrameSamples)
        {
            var position = TimeSpan.FromSeconds(offset / (double)CaptureFormat.SampleRate);
            actor.Tell(new AudioFrame(audio.AsMemory(offset, CaptureFormat.FrameSamples), position) { ArrivedAt = captureStart + position + TimeSpan.FromMilliseconds(23) });
        }
    }

    private TestProbe Probe(params Type[] facts)
    {
        var probe = CreateTestProbe();
        foreach (var fact in facts) Sys.EventStream.Subscribe(probe.Ref, fact);
        return probe;
    }

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public void The_users_words_over_the_agent_interrupt_it_and_the_barge_in_carries_them()
    {
        var recognizer = Saying("And so my fellow", "And so my fellow Americans.");
        var actor = Recognizer(recognizer);
        var captureStart = DateTimeOffset.UtcNow;
        actor.Tell(new AgentTurnStarted(Turn, "hi", "test", captureStart));
        Speak(actor, captureStart, to: 1.2);

        var paused = PlaybackProbe.ExpectMsg<UserSpeechStarted>(Wait);
        var bargeIn = TtsProbe.ExpectMsg<BargeIn>(Wait);
        Speak(actor, captureStart, from: 1.2);
        Assert.Equal((Turn, "And so my fellow"), (bargeIn.Turn, bargeIn.Words));
        ConversationProbe.ExpectMsg<BargeIn>(Wait);
        Assert.Equal("And so my fellow Americans.", ConversationProbe.ExpectMsg<TranscriptFinal>(Wait).Text);
        // Both calls were told where their audio lies: the overlap and the utterance start at the
        // onset less the padding.
        Assert.All(recognizer.Calls, c => Assert.InRange(c.Start.TotalSeconds, 0, 0.3));
    }

    [Fact]
    public void A_backchannel_over_the_agent_resumes_it_and_is_no_turn()
    {
        var actor = Recognizer(Saying("Uh-huh.", "Uh huh."));
        var heard = Probe(typeof(BackchannelHeard));
        var captureStart = DateTimeOffset.UtcNow;
        actor.Tell(new AgentTurnStarted(Turn, "hi", "test", captureStart));
        Speak(actor, captureStart, to: 1.2);

        PlaybackProbe.ExpectMsg<UserSpeechStarted>(Wait);
        Assert.Equal(Turn, PlaybackProbe.ExpectMsg<UserSpeechDismissed>(Wait).AgentTurn);
        Speak(actor, captureStart, from: 1.2);
        Assert.Equal((Turn, "Uh-huh."), heard.ExpectMsg<BackchannelHeard>(Wait) is var b ? (b.AgentTurn, b.Text) : default);
        // The whole utterance was the same backchannel: no turn, not reported twice.
        CaughtUp(actor, Wait);
        ConversationProbe.ExpectNoMsg(TimeSpan.FromSeconds(1));
        heard.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        TtsProbe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void The_agents_own_words_heard_back_are_dropped_as_echo()
    {
        var actor = Recognizer(Saying("and so my fellow", "And so, my fellow Americans."));
        var dropped = Probe(typeof(EchoTranscriptDropped));
        var captureStart = DateTimeOffset.UtcNow;
        actor.Tell(new AgentTurnStarted(Turn, "hi", "test", captureStart));
        actor.Tell(new AgentText(Turn, "And so my fellow Americans, ask not what your country can do for you. "));
        actor.Tell(new AgentText(Turn, "Ask what you can do for your country."));
        // A first frame, so that the capture clock exists when playback reports its start.
        actor.Tell(new AudioFrame(new short[CaptureFormat.FrameSamples], TimeSpan.Zero) { ArrivedAt = captureStart + TimeSpan.FromMilliseconds(23) });
        actor.Tell(new PlaybackStarted(Turn, captureStart));
        Speak(actor, captureStart, to: 1.2);

        PlaybackProbe.ExpectMsg<UserSpeechStarted>(Wait);
        PlaybackProbe.ExpectMsg<UserSpeechDismissed>(Wait);
        Speak(actor, captureStart, from: 1.2);
        var echo = dropped.ExpectMsg<EchoTranscriptDropped>(Wait);
        Assert.Equal("and so my fellow", echo.Text);
        Assert.StartsWith("And so my fellow Americans", echo.Playing);
        Assert.Equal("And so, my fellow Americans.", dropped.ExpectMsg<EchoTranscriptDropped>(Wait).Text);
        CaughtUp(actor, Wait);
        ConversationProbe.ExpectNoMsg(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void A_recognizer_that_does_not_answer_leaves_the_duration_to_decide_after_max_pause()
    {
        // The overlap's words never come; the whole utterance is answered.
        var actor = Recognizer(Saying(null, "And so my fellow Americans."));
        actor.Tell(new AgentTurnStarted(Turn, "hi", "test", DateTimeOffset.UtcNow));
        Speak(actor, DateTimeOffset.UtcNow);

        var paused = PlaybackProbe.ExpectMsg<UserSpeechStarted>(Wait);
        var bargeIn = PlaybackProbe.ExpectMsg<BargeIn>(Wait);
        Assert.Null(bargeIn.Words);
        // Decided on the capture clock 1.5 s after the onset (the pause came one window after it).
        var pausedFor = bargeIn.DecidedAtCapture!.Value - paused.DecidedAtCapture!.Value;
        Assert.InRange(pausedFor.TotalMilliseconds, 1500 - 64, 1500 + 32);
        ConversationProbe.ExpectMsg<BargeIn>(Wait);
        Assert.Equal("And so my fellow Americans.", ConversationProbe.ExpectMsg<TranscriptFinal>(Wait).Text);
    }

    [Fact]
    public void With_words_off_the_duration_decides_and_nothing_is_transcribed_before_the_end()
    {
        var recognizer = Saying("stop", "And so my fellow Americans.");
        var actor = Recognizer(recognizer, new ListeningSettings { Mode = MicrophoneMode.Headset, BargeInWords = false });
        actor.Tell(new AgentTurnStarted(Turn, "hi", "test", DateTimeOffset.UtcNow));
        Speak(actor, DateTimeOffset.UtcNow);

        PlaybackProbe.ExpectMsg<UserSpeechStarted>(Wait);
        Assert.Null(PlaybackProbe.ExpectMsg<BargeIn>(Wait).Words);
        ConversationProbe.ExpectMsg<BargeIn>(Wait);
        ConversationProbe.ExpectMsg<TranscriptFinal>(Wait);
        Assert.Single(recognizer.Calls);
    }

    /// <summary>Onset → force on the capture clock when the recognizer takes a given time (the
    /// answer given back once the capture clock has moved on by that much), printed; and
    /// PocketSphinx's time on a 0.5 s overlap.</summary>
    [Fact]
    public async Task Onset_to_force_by_recognizer_delay()
    {
        foreach (var delay in new[] { 0, 100, 300, 600, 1000, 2000 })
        {
            var engine = new ListeningEngine(new ListeningSettings { Mode = MicrophoneMode.Headset }, TestModel.Silero());
            engine.DecideByWords(new WordsRule(TimeSpan.FromSeconds(1.5), WordsRule.RetranscribeAfter));
            engine.AgentSpeaking(Turn);
            var jfk = TestModel.Jfk()[..(int)(2.6 * 16000)];
            (TimeSpan Due, TimeSpan Onset)? asked = null;
            BargeInDecision? force = null;
            TimeSpan? onset = null;
            for (var offset = 0; offset + CaptureFormat.FrameSamples <= jfk.Length && force is null; offset += CaptureFormat.FrameSamples)
            {
                var position = TimeSpan.FromSeconds(offset / 16000.0);
                var events = engine.Process(jfk.AsSpan(offset, CaptureFormat.FrameSamples), position).ToList();
                if (asked is { } a && position >= a.Due)
                {
                    events.AddRange(engine.Heard(new HeardWords(WordsKind.Words, "and so"), a.Onset));
                    asked = null;
                }
                foreach (var e in events)
                {
                    if (e is OverlapReady overlap && asked is null) asked = (overlap.At + TimeSpan.FromMilliseconds(delay), overlap.Onset);
                    if (e is BargeInDecided { Decision: { Action: BargeInAction.Pause } pause }) onset = pause.Onset;
                    if (e is BargeInDecided { Decision: { Action: BargeInAction.Confirm } confirm }) force = confirm;
                }
            }
            Assert.NotNull(force);
            Output?.WriteLine($"recognizer taking {delay,4} ms: onset → force {(force.Value.At - onset!.Value).TotalMilliseconds,5:0} ms ({(force.Value.Words is null ? "duration rule" : "words")})");
        }

        using var sphinx = RecognizerFactory.Create(new ListeningSettings { Recognizer = "pocketsphinx" }).Recognizer;
        if (sphinx is null) return;
        var halfSecond = TestModel.Jfk()[(int)(0.3 * 16000)..(int)(0.8 * 16000)];
        for (var run = 0; run < 3; run++)
        {
            var clock = Stopwatch.StartNew();
            var text = await sphinx.TranscribeAsync(halfSecond, TimeSpan.Zero, TestContext.Current.CancellationToken);
            Output?.WriteLine($"PocketSphinx on a 0.5 s overlap: {clock.Elapsed.TotalMilliseconds:0} ms (\"{text}\")");
        }
    }
}

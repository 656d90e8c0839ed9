using VoiceAgent.Core.Protocol;
using VoiceAgent.Listening.Turns;

namespace VoiceAgent.Listening.Tests;

/// <summary>The user's turn followed on the capture clock: stretches of speech and their words in,
/// preliminary and final transcripts out, each at the moment the audio says.</summary>
public class UserTurnTrackerTests
{
    private static readonly DateTimeOffset CaptureStart = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
    // The windows the VAD scores: the tracker only learns that time passed from them.
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(32);

    private readonly List<IPipelineEvent> _published = [];

    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    private static UserTurnTracker Tracker(TurnDetector detector = TurnDetector.Words) =>
        new(new TurnSettings { Detector = detector }, capture => CaptureStart + capture);

    /// <summary>One stretch of speech as the engine reports it: onset, then the end once the VAD
    /// has heard its 500 ms of silence.</summary>
    private void Speak(UserTurnTracker tracker, double onsetMs, double endMs)
    {
        _published.AddRange(tracker.SpeechStarted(Ms(onsetMs)));
        RunUntil(tracker, endMs + 500);
        _published.AddRange(tracker.SpeechFinished(Ms(endMs), transcribed: true));
    }

    private void Hear(UserTurnTracker tracker, double onsetMs, double endMs, string text) =>
        _published.AddRange(tracker.Accept(new UtteranceTranscript(Ms(onsetMs), Ms(endMs), text)
        {
            Audio = new short[(int)((endMs - onsetMs) * 16)],
            Recognizer = "scripted",
            RecognizedAt = CaptureStart + tracker.Now,
        }));

    /// <summary>Windows go by until one ends at or after <paramref name="ms"/>.</summary>
    private void RunUntil(UserTurnTracker tracker, double ms)
    {
        while (tracker.Now < Ms(ms)) _published.AddRange(tracker.Tick(tracker.Now + Window));
    }

    private TranscriptFinal SingleFinal() => Assert.Single(_published.OfType<TranscriptFinal>());

    [Fact]
    public void A_complete_sentence_ends_the_turn_after_the_shortest_silence()
    {
        var tracker = Tracker();
        Speak(tracker, 300, 1500);
        Hear(tracker, 300, 1500, "Turn on the lights.");

        // The VAD already waited 500 ms: the shortest silence has passed when the words come.
        var final = SingleFinal();
        Assert.Equal(("Turn on the lights.", "complete sentence"), (final.Text, final.EndOfTurnReason));
        Assert.Equal(CaptureStart + Ms(1500), final.SpeechEndedAt);
        Assert.InRange(final.EndOfTurnDelay!.Value.TotalMilliseconds, 500, 500 + Window.TotalMilliseconds);
        Assert.Empty(_published.OfType<TranscriptPreliminary>());
    }

    [Fact]
    public void A_trailing_conjunction_waits_the_longest_silence()
    {
        var tracker = Tracker();
        Speak(tracker, 300, 1500);
        Hear(tracker, 300, 1500, "i need to buy milk and");
        var preliminary = Assert.Single(_published.OfType<TranscriptPreliminary>());
        Assert.Equal(("i need to buy milk and", CaptureStart + Ms(1500)), (preliminary.Text, preliminary.SpeechEndedAt));

        RunUntil(tracker, 1500 + 1900);
        Assert.Empty(_published.OfType<TranscriptFinal>());
        RunUntil(tracker, 1500 + 2100);
        var final = SingleFinal();
        Assert.Equal(("i need to buy milk and", "trailing conjunction"), (final.Text, final.EndOfTurnReason));
        Assert.InRange(final.EndOfTurnDelay!.Value.TotalMilliseconds, 2000, 2000 + Window.TotalMilliseconds);
    }

    [Fact]
    public void Words_with_no_cue_wait_the_middle_silence()
    {
        var tracker = Tracker();
        Speak(tracker, 300, 1500);
        Hear(tracker, 300, 1500, "and so my fellow americans");
        RunUntil(tracker, 1500 + 3000);
        Assert.InRange(SingleFinal().EndOfTurnDelay!.Value.TotalMilliseconds, 800, 800 + Window.TotalMilliseconds);
    }

    [Fact]
    public void A_pause_mid_sentence_is_one_turn_with_the_words_joined()
    {
        var tracker = Tracker();
        Speak(tracker, 300, 1500);
        Hear(tracker, 300, 1500, "i want to go to the");
        // The user finds the word 1.2 s after they stopped: before the longest silence is over.
        Speak(tracker, 2700, 3400);
        Hear(tracker, 2700, 3400, "station.");
        RunUntil(tracker, 6000);

        var final = SingleFinal();
        Assert.Equal(("i want to go to the station.", "complete sentence"), (final.Text, final.EndOfTurnReason));
        Assert.Equal(CaptureStart + Ms(3400), final.SpeechEndedAt);
        Assert.Equal(1900, final.SpeechLength!.Value.TotalMilliseconds, 3);
    }

    [Fact]
    public void Speaking_again_after_a_preliminary_says_the_turn_went_on()
    {
        var tracker = Tracker();
        Speak(tracker, 300, 1500);
        Hear(tracker, 300, 1500, "so um");
        Speak(tracker, 2700, 3400);

        Assert.Collection(_published,
            e => Assert.Equal("so um", Assert.IsType<TranscriptPreliminary>(e).Text),
            e => Assert.Equal(CaptureStart + Ms(2700), Assert.IsType<UserTurnContinued>(e).At));
        // Waiting for the new words, not the old deadline: nothing ends the turn meanwhile.
        RunUntil(tracker, 6000);
        Assert.Empty(_published.OfType<TranscriptFinal>());
        Hear(tracker, 2700, 3400, "the blue one.");
        Assert.Equal("so um the blue one.", SingleFinal().Text);
    }

    [Fact]
    public void Speech_after_the_turn_ended_starts_a_new_turn()
    {
        var tracker = Tracker();
        Speak(tracker, 300, 1500);
        Hear(tracker, 300, 1500, "What time is it?");
        Speak(tracker, 2700, 3400);
        Hear(tracker, 2700, 3400, "And tomorrow?");

        Assert.Equal(["What time is it?", "And tomorrow?"], _published.OfType<TranscriptFinal>().Select(f => f.Text));
        Assert.Empty(_published.OfType<UserTurnContinued>());
    }

    [Fact]
    public void A_transcript_that_comes_after_the_deadline_ends_the_turn_at_once()
    {
        var tracker = Tracker();
        Speak(tracker, 300, 1500);
        // A slow recognizer: the words come 3 s after the speech ended, beyond even the longest silence.
        RunUntil(tracker, 4500);
        Assert.Empty(_published);
        Hear(tracker, 300, 1500, "i need to buy milk and");

        var final = SingleFinal();
        Assert.Equal("trailing conjunction", final.EndOfTurnReason);
        Assert.InRange(final.EndOfTurnDelay!.Value.TotalMilliseconds, 3000, 3000 + Window.TotalMilliseconds);
        Assert.Empty(_published.OfType<TranscriptPreliminary>());
    }

    [Fact]
    public void Slow_words_for_a_turn_that_had_ended_before_the_user_spoke_again_stay_their_own_turn()
    {
        var tracker = Tracker();
        Speak(tracker, 300, 1500);
        // The user speaks again 1.5 s later; only then do the first words come: a closed sentence,
        // whose turn had ended after 500 ms of silence.
        Speak(tracker, 3000, 3800);
        Hear(tracker, 300, 1500, "Turn on the lights.");
        Hear(tracker, 3000, 3800, "And the radio.");

        Assert.Equal(["Turn on the lights.", "And the radio."], _published.OfType<TranscriptFinal>().Select(f => f.Text));
    }

    [Fact]
    public void A_stretch_with_no_words_adds_nothing_and_holds_nothing()
    {
        var tracker = Tracker();
        Speak(tracker, 300, 800);
        Hear(tracker, 300, 800, "");
        Speak(tracker, 1500, 2500);
        Hear(tracker, 1500, 2500, "Hello there.");
        Assert.Equal("Hello there.", SingleFinal().Text);
    }

    [Fact]
    public void A_sound_too_short_to_transcribe_does_not_hold_the_turn()
    {
        var tracker = Tracker();
        Speak(tracker, 300, 1500);
        Hear(tracker, 300, 1500, "i want to go to the");
        _published.AddRange(tracker.SpeechStarted(Ms(2000)));
        RunUntil(tracker, 2200);
        _published.AddRange(tracker.SpeechFinished(Ms(2100), transcribed: false));
        RunUntil(tracker, 3600);

        Assert.Equal("i want to go to the", SingleFinal().Text);
    }

    [Fact]
    public void With_the_silence_detector_every_transcript_ends_its_turn_as_it_arrives()
    {
        var tracker = Tracker(TurnDetector.Silence);
        Speak(tracker, 300, 1500);
        Hear(tracker, 300, 1500, "i want to go to the");
        Speak(tracker, 2700, 3400);
        Hear(tracker, 2700, 3400, "station");

        Assert.Equal(["i want to go to the", "station"], _published.OfType<TranscriptFinal>().Select(f => f.Text));
        Assert.All(_published.OfType<TranscriptFinal>(), f => Assert.Equal("silence", f.EndOfTurnReason));
        Assert.Empty(_published.OfType<TranscriptPreliminary>());
        Assert.Empty(_published.OfType<UserTurnContinued>());
    }

    /// <summary>A detector outside the bounds (a model that is sure, or unsure) is held within them.</summary>
    [Fact]
    public void A_detector_is_kept_between_the_shortest_and_the_longest_silence()
    {
        var settings = new TurnSettings();
        var tracker = new UserTurnTracker(settings, new FixedDetector(TimeSpan.FromSeconds(9)), capture => CaptureStart + capture);
        Speak(tracker, 300, 1500);
        Hear(tracker, 300, 1500, "anything");
        RunUntil(tracker, 6000);
        Assert.InRange(SingleFinal().EndOfTurnDelay!.Value, settings.MaxSilence, settings.MaxSilence + Window);
    }

    private sealed class FixedDetector(TimeSpan silence) : ITurnEndDetector
    {
        public TurnEndDecision Decide(TurnSoFar turn)
        {
            Assert.Equal(1200 * 16, turn.Audio.Length);
            return new TurnEndDecision(silence, "fixed");
        }
    }
}

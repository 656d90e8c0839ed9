using VoiceAgent.Listening.Engine;
using VoiceAgent.Listening.Vad;

namespace VoiceAgent.Listening.Tests;

/// <summary>Silero VAD on jfk.wav. Its speech, measured by ear and by level (sox): "And so my fellow
/// Americans" 0.3–2.2 s, "ask not" 3.3–4.3 s, "what your country can do for you" 5.4–7.6 s,
/// "ask what you can do for your country" 8.2–10.6 s; quiet tape hiss (about -40 dBFS) between.</summary>
public class VadTests
{
    private static readonly (double Start, double End)[] JfkSpeech = [(0.30, 2.20), (3.30, 4.30), (5.40, 7.60), (8.20, 10.60)];
    private const double Tolerance = 0.15;

    private static List<ListeningEvent> RunJfk(ListeningSettings settings)
    {
        using var engine = new ListeningEngine(settings, TestModel.Silero());
        // One second of silence after the file lets the last phrase end.
        return TestModel.Feed(engine, [.. TestModel.Jfk(), .. new short[16000]]);
    }

    [Fact]
    public void Finds_the_four_phrases_of_jfk_where_they_are()
    {
        var events = RunJfk(new ListeningSettings { Mode = MicrophoneMode.Headset, MinSilence = TimeSpan.FromMilliseconds(300) });
        var segments = events.OfType<SpeechFinished>().ToList();

        Assert.Equal(JfkSpeech.Length, segments.Count);
        for (var i = 0; i < segments.Count; i++)
        {
            Assert.InRange(segments[i].Onset.TotalSeconds, JfkSpeech[i].Start - Tolerance, JfkSpeech[i].Start + Tolerance);
            Assert.InRange(segments[i].End.TotalSeconds, JfkSpeech[i].End - Tolerance, JfkSpeech[i].End + Tolerance);
        }
    }

    [Fact]
    public void Onset_is_noticed_within_two_windows()
    {
        var events = RunJfk(new ListeningSettings { Mode = MicrophoneMode.Headset });
        foreach (var began in events.OfType<SpeechBegan>())
            Assert.InRange((began.At - began.Onset).TotalMilliseconds, 0, 64);
    }

    [Fact]
    public void A_longer_minimum_silence_bridges_the_short_pauses()
    {
        // The pauses after "Americans" (1.1 s) and "ask not" (1.1 s) remain; the 0.55 s one before
        // "ask what" is bridged at 700 ms.
        var events = RunJfk(new ListeningSettings { Mode = MicrophoneMode.Headset, MinSilence = TimeSpan.FromMilliseconds(700) });
        var segments = events.OfType<SpeechFinished>().ToList();
        Assert.Equal(3, segments.Count);
        Assert.InRange(segments[2].Onset.TotalSeconds, 5.4 - Tolerance, 5.4 + Tolerance);
        Assert.InRange(segments[2].End.TotalSeconds, 10.6 - Tolerance, 10.6 + Tolerance);
    }

    [Fact]
    public void Utterances_carry_the_padding_and_skip_silence()
    {
        var settings = new ListeningSettings { Mode = MicrophoneMode.Headset, MinSilence = TimeSpan.FromMilliseconds(300) };
        var events = RunJfk(settings);
        var utterances = events.OfType<UtteranceReady>().ToList();
        var segments = events.OfType<SpeechFinished>().ToList();
        Assert.Equal(segments.Count, utterances.Count);
        var first = utterances[0];
        var expected = (segments[0].End - segments[0].Onset + 2 * settings.SpeechPadding).TotalSeconds * 16000;
        Assert.InRange(first.Samples.Length, expected - 1, expected + 1);

        // Hiss alone (the 1.1 s pause) never becomes an utterance.
        var hiss = TestModel.Jfk()[(int)(2.4 * 16000)..(int)(3.1 * 16000)];
        using var engine = new ListeningEngine(settings, TestModel.Silero());
        Assert.Empty(TestModel.Feed(engine, [.. hiss, .. hiss, .. hiss]).OfType<UtteranceReady>());
    }

    [Fact]
    public void Speech_below_the_silence_floor_never_becomes_an_utterance()
    {
        // jfk.wav 40 dB down: its loudest 32 ms at -48 dBFS (-8 in the file), the words as a whole
        // at -57. Audio quieter than listening.silence-floor-dbfs is never sent: Whisper invents
        // words ("Thank you.") for it.
        var quiet = TestModel.Jfk().Select(s => (short)(s / 100)).ToArray();
        var settings = new ListeningSettings { Mode = MicrophoneMode.Headset, MinSilence = TimeSpan.FromMilliseconds(300) };
        List<ListeningEvent> Run(double floor)
        {
            using var engine = new ListeningEngine(settings with { SilenceFloorDbfs = floor }, TestModel.Silero());
            return TestModel.Feed(engine, [.. quiet, .. new short[16000]]);
        }

        // Every window under a -45 dBFS floor: not even the start of speech.
        var underTheFloor = Run(-45);
        Assert.Empty(underTheFloor.OfType<SpeechBegan>());
        Assert.Empty(underTheFloor.OfType<UtteranceReady>());
        // The floor is what holds it back: the VAD hears the quiet words once it is lowered.
        Assert.NotEmpty(Run(-90).OfType<UtteranceReady>());
    }

    [Fact]
    public void The_threshold_is_configurable()
    {
        // At 0.99 hardly any window of jfk counts as speech.
        var strict = RunJfk(new ListeningSettings { Mode = MicrophoneMode.Headset, VadThreshold = 0.995f });
        var normal = RunJfk(new ListeningSettings { Mode = MicrophoneMode.Headset });
        Assert.True(strict.OfType<SpeechBegan>().Count() < normal.OfType<SpeechBegan>().Count() || !strict.OfType<SpeechBegan>().Any());
    }

    [Fact]
    public void The_fetched_model_passes_the_checksum_and_a_wrong_file_is_named()
    {
        Assert.Equal(Path.GetFullPath(TestModel.Path), VadModelFile.Resolve(TestModel.Path));
        var wrong = Path.GetTempFileName();
        try
        {
            File.WriteAllText(wrong, "not a model");
            var error = Assert.Throws<VadModelException>(() => VadModelFile.Resolve(wrong));
            Assert.Contains(wrong, error.Message);
            Assert.Contains("fetch-vad-model", error.Message);
            var missing = Assert.Throws<VadModelException>(() => VadModelFile.Resolve("/nonexistent/model.onnx"));
            Assert.Contains("vad-model", missing.Message);
        }
        finally
        {
            File.Delete(wrong);
        }
    }
}

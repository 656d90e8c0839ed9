using System.Diagnostics;
using VoiceAgent.Listening.Recognition.Whisper;
using VoiceAgent.TestSupport;

namespace VoiceAgent.Listening.Tests;

/// <summary>
/// Whisper.net for real (whisper.cpp 1.8.5 through the Whisper.net.Runtime natives), on a model
/// the tests generate: its weights are random, so what it "hears" is noise by design. These tests
/// assert that it loads, returns, can be cancelled, and that a bad model is one clear line.
/// </summary>
public class WhisperRecognizerTests(ITestOutputHelper output)
{
    // One thread: under CPU contention whisper.cpp's spinning OpenMP threads made calls 10x slower.
    private static readonly WhisperOptions OneThread = new() { Threads = 1 };

    [Fact]
    public async Task A_generated_model_loads_and_transcribes_jfk_on_one_thread()
    {
        var load = Stopwatch.StartNew();
        using var recognizer = WhisperRecognizer.Load(TestWhisperModels.Tiny, "generated", OneThread);
        load.Stop();
        Assert.Equal("Whisper generated", recognizer.Name);
        Assert.Contains("1 thread)", recognizer.Description);

        var jfk = TestModel.Jfk();
        var timer = Stopwatch.StartNew();
        var first = await recognizer.TranscribeAsync(jfk, TestContext.Current.CancellationToken);
        var second = await recognizer.TranscribeAsync(jfk, TestContext.Current.CancellationToken);
        output.WriteLine($"load {load.ElapsedMilliseconds} ms, two calls {timer.ElapsedMilliseconds} ms: \"{first}\"");
        // The same audio through the same weights decodes the same way, from a reused processor.
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Beam_search_temperature_fallback_and_a_prompt_are_accepted_by_whisper_cpp()
    {
        var options = OneThread with { Sampling = WhisperSampling.Beam, BeamSize = 2, TemperatureFallback = true, InitialPrompt = "VoiceAgent, Akka" };
        using var recognizer = WhisperRecognizer.Load(TestWhisperModels.Tiny, "generated", options);
        var timer = Stopwatch.StartNew();
        var text = await recognizer.TranscribeAsync(TestModel.Jfk()[..16000], TestContext.Current.CancellationToken);
        output.WriteLine($"{timer.ElapsedMilliseconds} ms: \"{text}\"");
        Assert.NotNull(text);
    }

    [Fact]
    public async Task Short_utterances_are_padded_and_several_run_at_once()
    {
        using var recognizer = WhisperRecognizer.Load(TestWhisperModels.Tiny, "generated", OneThread);
        var jfk = TestModel.Jfk();
        // 0.4 s is less than whisper.cpp accepts; it is padded with silence. Three at once each
        // get a processor of their own.
        var calls = new[] { jfk[..6400], jfk[..(16000 * 3)], jfk[..6400] }
            .Select(audio => recognizer.TranscribeAsync(audio, TestContext.Current.CancellationToken))
            .ToArray();
        var results = await Task.WhenAll(calls);
        Assert.Equal(results[0], results[2]);
    }

    [Fact]
    public async Task A_cancelled_transcription_stops_and_the_next_one_works()
    {
        using var recognizer = WhisperRecognizer.Load(TestWhisperModels.Tiny, "generated", OneThread);
        var jfk = TestModel.Jfk();
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => recognizer.TranscribeAsync(jfk, cancel.Token));

        using var soon = new CancellationTokenSource(TimeSpan.FromMilliseconds(30));
        try
        {
            await recognizer.TranscribeAsync(jfk, soon.Token);
        }
        catch (OperationCanceledException)
        {
            // Cut off mid-call (on a busy machine the call may also finish first).
        }
        Assert.NotNull(await recognizer.TranscribeAsync(jfk[..16000], TestContext.Current.CancellationToken));
    }

    public static TheoryData<string, string> BadModels => new()
    {
        { "missing", "failed to open" },
        { "corrupt", "invalid model data (bad magic)" },
        { "truncated", "not all tensors loaded from model file" },
    };

    [Theory]
    [MemberData(nameof(BadModels))]
    public void A_bad_model_is_one_line_with_the_file_and_whisper_cpp_s_reason(string kind, string cause)
    {
        var path = kind switch
        {
            "missing" => Path.Combine(TestWhisperModels.NewFolder("missing"), "ggml-none.bin"),
            "corrupt" => TestWhisperModels.Corrupt(),
            _ => TestWhisperModels.Truncated(),
        };
        var error = Assert.Throws<SpeechRecognitionException>(() => WhisperRecognizer.Load(path, kind, OneThread));
        output.WriteLine(error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains(path, error.Message);
        Assert.Contains(cause, error.Message);
    }

    [Theory]
    [InlineData("whisper_model_load: invalid model data (bad magic)", "invalid model data (bad magic)")]
    [InlineData("whisper_model_load: ERROR not all tensors loaded from model file - expected 50, got 24", "not all tensors loaded from model file - expected 50, got 24")]
    [InlineData("whisper_init_from_file_with_params_no_state: failed to open '/x/y.bin'", "failed to open '/x/y.bin'")]
    public void The_native_log_line_loses_its_function_name(string line, string cause) =>
        Assert.Equal(cause, WhisperNativeLog.Clean(line));
}

using VoiceAgent.Dsp;
using VoiceAgent.TestSupport;

namespace VoiceAgent.Recognition.Tests;

/// <summary><c>voice-agent transcribe</c> as a user runs it: a separate process, real engines.</summary>
public class TranscribeCommandTests(ITestOutputHelper output)
{
    /// <summary>A machine where no model was downloaded: an empty models folder.</summary>
    private static string[] Fresh() => ["-D", $"models.folder={TestWhisperModels.NewFolder("fresh")}"];

    private static readonly string Jfk = RepoPaths.Fixture("jfk.wav");

    private async Task<CliResult> Run(params string[] arguments)
    {
        var result = await CliRunner.Run(arguments, timeout: TimeSpan.FromSeconds(120));
        output.WriteLine($"exit {result.ExitCode}\n{result.StandardOutput}\n{result.StandardError}");
        return result;
    }

    [Fact]
    public async Task On_a_fresh_machine_pocketsphinx_hears_jfk()
    {
        var result = await Run(["transcribe", Jfk, .. Fresh()]);

        Assert.Equal(0, result.ExitCode);
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        // PocketSphinx, given the whole utterance: at least 14 of the 22 reference words, in order.
        var heard = ReferenceWords.Words(lines[0]);
        Assert.InRange(ReferenceWords.Matched(ReferenceWords.Jfk, heard), 14, 22);
        Assert.Contains("country", heard);
        Assert.Matches(@"^11\.0 s of audio in \d+\.\d\d s · PocketSphinx", lines[1]);
        // Why this engine: the Whisper model is missing, and how to get it.
        Assert.Contains("voice-agent models pull base.en", result.StandardError);
    }

    [Fact]
    public async Task A_language_pocketsphinx_cannot_hear_is_named_and_english_is_heard()
    {
        var result = await Run(["transcribe", Jfk, "--engine", "pocketsphinx", "--language", "de", .. Fresh()]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("country", ReferenceWords.Words(result.StandardOutput));
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("PocketSphinx hears English only (pocketsphinx-en-us): --language de is not used.", line.TrimEnd());
    }

    [Fact]
    public async Task Whisper_transcribes_with_a_model_given_by_path_on_one_thread()
    {
        var result = await Run(["transcribe", Jfk, "--model", TestWhisperModels.Tiny, "-D", "listening.whisper.threads=1"]);

        Assert.Equal(0, result.ExitCode);
        // The generated model's words are noise; the summary says what ran, on what, how long.
        Assert.Matches(@"11\.0 s of audio in \d+\.\d\d s · Whisper generated-tiny", result.StandardOutput);
    }

    /// <summary>A 16-bit PCM WAV with any rate and channel count.</summary>
    private static string Wav(string name, short[] interleaved, int rate, int channels)
    {
        var path = Path.Combine(TestWhisperModels.NewFolder("wav"), name);
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write("RIFF"u8);
        writer.Write(36 + interleaved.Length * 2);
        writer.Write("WAVEfmt "u8);
        writer.Write(16);
        writer.Write((short)1);
        writer.Write((short)channels);
        writer.Write(rate);
        writer.Write(rate * channels * 2);
        writer.Write((short)(channels * 2));
        writer.Write((short)16);
        writer.Write("data"u8);
        writer.Write(interleaved.Length * 2);
        foreach (var sample in interleaved) writer.Write(sample);
        return path;
    }

    [Fact]
    public async Task Any_sample_rate_and_channel_count_is_resampled_and_silence_is_never_sent()
    {
        var jfk = VoiceAgent.Dsp.WavFile.Read(Jfk).Samples;
        var at44k = VoiceAgent.Dsp.Resampler.Convert(jfk, 16000, 44100);
        var stereo = Wav("jfk-stereo-44k.wav", at44k.SelectMany(s => new[] { s, s }).ToArray(), 44100, 2);
        var quiet = Wav("quiet-8k.wav", new short[8000 * 2], 8000, 1);
        string[] whisper = ["--model", TestWhisperModels.Tiny, "-D", "listening.whisper.threads=1"];

        var speech = await Run(["transcribe", stereo, .. whisper]);
        Assert.Equal(0, speech.ExitCode);
        Assert.Contains("11.0 s of audio in", speech.StandardOutput);

        var silence = await Run(["transcribe", quiet, .. whisper]);
        Assert.Equal(0, silence.ExitCode);
        Assert.Contains("2.0 s of audio, near-silent (digital silence, below listening.silence-floor-dbfs)", silence.StandardOutput);
        Assert.Contains("nothing to transcribe", silence.StandardOutput);
    }

    public static TheoryData<string[], string> BadInput => new()
    {
        { ["transcribe", "/etc/hostname"], "is not a RIFF/WAVE file" },
        { ["transcribe", "/no/such/file.wav"], "not found" },
        { ["transcribe", Jfk, "--engine", "vosk"], "unknown engine 'vosk'; one of: whisper, pocketsphinx, openai" },
        { ["transcribe", Jfk, "--engine", "whisper"], "Whisper model base.en is not installed (get it with: voice-agent models pull base.en)" },
        { ["transcribe", Jfk, "--model", "/no/such/ggml-model.bin"], "Whisper model file /no/such/ggml-model.bin not found" },
        { ["transcribe", Jfk, "--engine", "openai"], "transcription-url is not set" },
        { ["transcribe"], "give a WAV file, or --mic" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task Bad_input_is_one_line_and_exit_code_2(string[] arguments, string expected)
    {
        var result = await Run([.. arguments, .. Fresh()]);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("voice-agent transcribe: ", line);
        Assert.Contains(expected, line);
    }

    [Theory]
    [InlineData("corrupt", "invalid model data (bad magic)")]
    [InlineData("truncated", "not all tensors loaded from model file")]
    public async Task A_model_that_does_not_load_is_one_line_with_whisper_cpp_s_reason(string kind, string cause)
    {
        var model = kind == "corrupt" ? TestWhisperModels.Corrupt() : TestWhisperModels.Truncated();
        var result = await Run(["transcribe", Jfk, "--model", model]);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(model, line);
        Assert.Contains(cause, line);
    }
}

using VoiceAgent.TestSupport;

namespace VoiceAgent.Recognition.Tests;

/// <summary><c>voice-agent models</c> as a user (and run.sh) runs it: a separate process.</summary>
public class ModelsCommandTests(ITestOutputHelper output)
{
    private async Task<CliResult> Run(params string[] arguments)
    {
        var result = await CliRunner.Run(arguments);
        output.WriteLine($"exit {result.ExitCode}\n{result.StandardOutput}\n{result.StandardError}");
        return result;
    }

    [Fact]
    public async Task Offline_a_pull_is_one_line_naming_the_url_the_mirror_setting_and_where_to_put_the_file()
    {
        var folder = TestWhisperModels.NewFolder("offline");
        // What run.sh does on every start until the model is there.
        var result = await Run("models", "pull", "--if-missing", "--dir", folder, "-D", "models.whisper-url=http://127.0.0.1:9/whisper");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("http://127.0.0.1:9/whisper/ggml-base.en.bin", line);
        Assert.Contains("voice-agent.models.whisper-url", line);
        Assert.Contains(Path.Combine(folder, "ggml-base.en.bin"), line);
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public async Task A_mirror_setting_that_is_no_url_is_one_line_and_exit_code_2()
    {
        var result = await Run("models", "pull", "tiny.en", "--dir", TestWhisperModels.NewFolder("bad-url"), "-D", "models.whisper-url=mirror.local/whisper");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("voice-agent.models.whisper-url = \"mirror.local/whisper\" is not an http:// or https:// URL", line);
    }

    [Fact]
    public async Task A_download_that_fails_its_checksum_shows_progress_and_is_not_kept()
    {
        var folder = TestWhisperModels.NewFolder("checksum");
        await using var server = new ModelServer("ggml-tiny.en.bin", await File.ReadAllBytesAsync(TestWhisperModels.Tiny, TestContext.Current.CancellationToken));

        var result = await Run("models", "pull", "tiny.en", "--dir", folder, "-D", $"models.whisper-url={server.BaseUrl}");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"Downloading Whisper model tiny.en from {server.BaseUrl}/ggml-tiny.en.bin", result.StandardError);
        Assert.InRange(System.Text.RegularExpressions.Regex.Count(result.StandardError, @"tiny\.en: \d+% \("), 5, 12);
        Assert.Contains("tiny.en: 100% (7.2 MB of 7.2 MB)", result.StandardError);
        Assert.Contains("expected c78c86eb1a8faa21b369bcd33207cc90d64ae9df: not kept", result.StandardError);
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public async Task List_shows_installed_models_and_where()
    {
        var folder = TestWhisperModels.NewFolder("list");
        File.Copy(TestWhisperModels.Tiny, Path.Combine(folder, "ggml-base.en-q5_1.bin"));

        var result = await Run("models", "list", "--dir", folder);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"base.en-q5_1      57 MiB  d26d7ce5a1b6e57bea5d0431b9c20ae49423c94a  yes  {Path.Combine(folder, "ggml-base.en-q5_1.bin")}", result.StandardOutput);
        Assert.Matches(@"\* base\.en +142 MiB  137c40403d78fd54d454da0f9bd998f78703390c  no", result.StandardOutput);
    }
}

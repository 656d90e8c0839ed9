using System.Security.Cryptography;
using VoiceAgent.Listening.Models;
using VoiceAgent.TestSupport;

namespace VoiceAgent.Listening.Tests;

/// <summary>
/// <c>models pull</c>'s downloader against a real HTTP server on loopback, serving a generated
/// file (Hugging Face cannot be reached from here): progress, checksum, resume, atomic placement.
/// </summary>
public class ModelDownloadTests
{
    private static readonly byte[] Content = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 123);

    /// <summary>A catalogue entry whose checksum is the served file's.</summary>
    private static readonly SpeechModel Model = new("test.en", 3, Convert.ToHexStringLower(SHA1.HashData(Content)));

    private static ModelStore Store() => new(TestWhisperModels.NewFolder("store"));

    private sealed class Recorder : IProgress<DownloadProgress>
    {
        public List<DownloadProgress> Reports { get; } = [];

        public void Report(DownloadProgress value)
        {
            lock (Reports) Reports.Add(value);
        }
    }

    [Fact]
    public async Task A_pull_reports_progress_verifies_and_puts_the_file_in_place()
    {
        await using var server = new ModelServer(Model.FileName, Content);
        using var http = ModelDownloader.CreateHttpClient();
        var store = Store();
        var progress = new Recorder();

        var result = await new ModelDownloader(http).PullAsync(Model, server.BaseUrl, store, progress, TestContext.Current.CancellationToken);

        Assert.False(result.AlreadyInstalled);
        Assert.Equal(store.PathFor("test.en"), result.Path);
        Assert.Equal(Content, await File.ReadAllBytesAsync(result.Path, TestContext.Current.CancellationToken));
        Assert.False(File.Exists(ModelDownloader.PartialPath(result.Path)));
        Assert.True(progress.Reports.Count > 2);
        Assert.All(progress.Reports, p => Assert.Equal(Content.Length, p.Total));
        Assert.Equal(progress.Reports.Select(p => p.Received).Order(), progress.Reports.Select(p => p.Received));
        Assert.Equal(Content.Length, progress.Reports[^1].Received);

        // A second pull finds it verified and downloads nothing.
        var again = await new ModelDownloader(http).PullAsync(Model, server.BaseUrl, store, null, TestContext.Current.CancellationToken);
        Assert.True(again.AlreadyInstalled);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_file_with_the_wrong_checksum_is_not_kept()
    {
        await using var server = new ModelServer(Model.FileName, [.. Content[..^1], 0]);
        using var http = ModelDownloader.CreateHttpClient();
        var store = Store();

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => new ModelDownloader(http).PullAsync(Model, server.BaseUrl, store, null, TestContext.Current.CancellationToken));

        Assert.Contains($"expected {Model.Sha1}", error.Message);
        Assert.Contains("not kept", error.Message);
        Assert.Empty(Directory.GetFiles(store.Folder));
    }

    [Fact]
    public async Task A_cut_connection_leaves_a_partial_file_that_the_next_pull_resumes()
    {
        const long cut = 1024 * 1024 + 17;
        await using var server = new ModelServer(Model.FileName, Content, cutFirstAfter: cut);
        using var http = ModelDownloader.CreateHttpClient();
        var store = Store();

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => new ModelDownloader(http).PullAsync(Model, server.BaseUrl, store, null, TestContext.Current.CancellationToken));
        Assert.Contains("run the same command again to resume", error.Message);
        var partial = ModelDownloader.PartialPath(store.PathFor("test.en"));
        Assert.Equal(cut, new FileInfo(partial).Length);
        Assert.False(File.Exists(store.PathFor("test.en")));

        var progress = new Recorder();
        var result = await new ModelDownloader(http).PullAsync(Model, server.BaseUrl, store, progress, TestContext.Current.CancellationToken);

        Assert.Equal(cut, result.ResumedAt);
        Assert.Equal($"bytes={cut}-", server.Requests[^1].Range);
        Assert.Equal(cut, progress.Reports[0].Received);
        Assert.Equal(Content, await File.ReadAllBytesAsync(result.Path, TestContext.Current.CancellationToken));
        Assert.False(File.Exists(partial));
    }

    [Fact]
    public async Task An_unreachable_host_is_one_line_naming_the_url_the_mirror_setting_and_where_to_put_the_file()
    {
        using var http = ModelDownloader.CreateHttpClient();
        var store = Store();
        // Nothing listens on port 9 of loopback: the connection is refused at once.
        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => new ModelDownloader(http).PullAsync(Model, "http://127.0.0.1:9/mirror", store, null, TestContext.Current.CancellationToken));

        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains("http://127.0.0.1:9/mirror/ggml-test.en.bin", error.Message);
        Assert.Contains("voice-agent.models.whisper-url", error.Message);
        Assert.Contains(store.PathFor("test.en"), error.Message);
    }

    [Fact]
    public async Task A_missing_file_on_the_server_names_the_status()
    {
        await using var server = new ModelServer("other.bin", Content);
        using var http = ModelDownloader.CreateHttpClient();
        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => new ModelDownloader(http).PullAsync(Model, server.BaseUrl, Store(), null, TestContext.Current.CancellationToken));
        Assert.Contains("HTTP 404", error.Message);
    }

    [Fact]
    public async Task The_models_command_lists_pulls_and_removes()
    {
        await using var server = new ModelServer("ggml-tiny.en-q5_1.bin", Content);
        var folder = TestWhisperModels.NewFolder("cli");
        var settings = new ListeningSettings { Models = new ModelsOptions { Folder = folder, WhisperUrl = server.BaseUrl } };
        var output = new StringWriter();
        var error = new StringWriter();
        var cli = new ModelsCli(settings, output, error, interactive: false);

        // The served bytes are not the published tiny.en-q5_1: the checksum refuses them.
        Assert.Equal(1, await cli.PullAsync("tiny.en-q5_1", null, ifMissing: false, TestContext.Current.CancellationToken));
        Assert.Contains("tiny.en-q5_1: 100%", error.ToString());
        Assert.Contains("not kept", error.ToString());
        Assert.Empty(Directory.GetFiles(folder));

        Assert.Equal(2, await cli.PullAsync("large-v9", null, ifMissing: false, TestContext.Current.CancellationToken));
        Assert.Contains("unknown model 'large-v9'", error.ToString());

        // A file put there by hand counts as installed; --if-missing then does nothing.
        File.Copy(TestWhisperModels.Tiny, Path.Combine(folder, "ggml-tiny.en.bin"));
        Assert.Equal(0, await cli.PullAsync("tiny.en", null, ifMissing: true, TestContext.Current.CancellationToken));
        Assert.Equal(0, cli.List(null));
        var listing = output.ToString();
        Assert.Contains($"Whisper models in {folder}", listing);
        Assert.Matches(@"\* base\.en +142 MiB  137c40403d78fd54d454da0f9bd998f78703390c  no", listing);
        Assert.Contains($"tiny.en           75 MiB  c78c86eb1a8faa21b369bcd33207cc90d64ae9df  yes  {Path.Combine(folder, "ggml-tiny.en.bin")}", listing);

        Assert.Equal(0, cli.Remove("tiny.en", null));
        Assert.False(File.Exists(Path.Combine(folder, "ggml-tiny.en.bin")));
        Assert.Equal(1, cli.Remove("tiny.en", null));
    }

    [Fact]
    public async Task A_models_folder_that_cannot_be_made_is_one_line_naming_it()
    {
        // A folder below a file: it cannot be created, whoever runs the test.
        var file = Path.Combine(TestWhisperModels.NewFolder("blocked"), "a-file");
        await File.WriteAllTextAsync(file, "not a folder", TestContext.Current.CancellationToken);
        var folder = Path.Combine(file, "models");
        var settings = new ListeningSettings { Models = new ModelsOptions { Folder = folder, WhisperUrl = "http://127.0.0.1:9/whisper" } };
        var error = new StringWriter();

        var code = await new ModelsCli(settings, new StringWriter(), error, interactive: false).PullAsync("tiny.en", null, ifMissing: false, TestContext.Current.CancellationToken);

        Assert.Equal(1, code);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"voice-agent models pull: cannot write in the models folder {folder} (", line);
        Assert.EndsWith("choose another with --dir DIR or voice-agent.models.folder.", line.TrimEnd());
    }

    [Fact]
    public void The_catalogue_has_the_english_models_and_their_quantized_variants_with_sha1_sums()
    {
        foreach (var size in new[] { "tiny", "base", "small" })
        foreach (var variant in new[] { "", "-q5_1", "-q8_0" })
            Assert.NotNull(SpeechModelCatalog.Find($"{size}.en{variant}"));
        Assert.All(SpeechModelCatalog.Whisper, m => Assert.Matches("^[0-9a-f]{40}$", m.Sha1));
        Assert.Equal(SpeechModelCatalog.Whisper.Count, SpeechModelCatalog.Whisper.Select(m => m.Sha1).Distinct().Count());
        Assert.Equal("q5_1", SpeechModelCatalog.Find("base.en-q5_1")!.Precision);
        Assert.True(SpeechModelCatalog.Find("base.en")!.EnglishOnly);
        Assert.False(SpeechModelCatalog.Find("base")!.EnglishOnly);
    }

    [Fact]
    public void The_models_folder_is_per_user_unless_configured_or_given()
    {
        var local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        Assert.Equal(Path.Combine(local, "voice-agent", "models"), ModelStore.For(new ModelsOptions()).Folder);
        Assert.Equal(Path.GetFullPath("/srv/models"), ModelStore.For(new ModelsOptions { Folder = "/srv/models" }).Folder);
        var given = Path.Combine(Path.GetTempPath(), "x");
        Assert.Equal(Path.GetFullPath(given), ModelStore.For(new ModelsOptions { Folder = "/srv/models" }, given).Folder);
    }
}

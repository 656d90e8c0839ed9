using System.Security.Cryptography;
using VoiceAgent.Listening.Models;
using VoiceAgent.TestSupport;

namespace VoiceAgent.Listening.Tests;

/// <summary>Language models (GGUF) go through the same downloader, folder and command as Whisper's.</summary>
public class LanguageModelDownloadTests
{
    private static readonly byte[] Content = RandomNumberGenerator.GetBytes(2 * 1024 * 1024 + 77);

    private static ChatModel Model(byte[] content, bool withSum = true) =>
        new("test-chat", content.Length, "example/Test-GGUF", "Test-Q4_K_M.gguf",
            withSum ? Convert.ToHexStringLower(SHA256.HashData(content)) : null, "a test model");

    [Fact]
    public async Task A_language_model_downloads_from_the_hugging_face_layout_and_is_checked_by_sha256()
    {
        await using var server = new ModelServer("example/Test-GGUF/resolve/main/Test-Q4_K_M.gguf", Content);
        using var http = ModelDownloader.CreateHttpClient();
        var store = new ModelStore(TestWhisperModels.NewFolder("chat"));
        var model = Model(Content);
        var url = model.UrlFrom(new ModelsOptions { ChatUrl = server.BaseUrl });

        var result = await new ModelDownloader(http).PullFromAsync(model, url, store, null, TestContext.Current.CancellationToken);

        Assert.Equal(Path.Combine(store.Folder, "Test-Q4_K_M.gguf"), result.Path);
        Assert.Equal(Content, await File.ReadAllBytesAsync(result.Path, TestContext.Current.CancellationToken));
        Assert.Equal("Test-Q4_K_M", Assert.Single(store.InstalledLanguageModels()).Name);

        // Another file under the same name is not the published one: fetched again, and refused.
        var other = Model([.. Content[..^1], 1]);
        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => new ModelDownloader(http).PullFromAsync(other, url, store, null, TestContext.Current.CancellationToken));
        Assert.Contains("has SHA-256", error.Message);
        Assert.Contains("voice-agent.models.chat-url", error.Message);
        Assert.Empty(store.InstalledLanguageModels());
    }

    [Fact]
    public async Task Without_a_published_sum_the_exact_size_decides()
    {
        await using var server = new ModelServer("example/Test-GGUF/resolve/main/Test-Q4_K_M.gguf", Content[..^10]);
        using var http = ModelDownloader.CreateHttpClient();
        var store = new ModelStore(TestWhisperModels.NewFolder("chat-size"));
        var model = Model(Content, withSum: false);

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() =>
            new ModelDownloader(http).PullFromAsync(model, model.UrlFrom(new ModelsOptions { ChatUrl = server.BaseUrl }), store, null, TestContext.Current.CancellationToken));

        Assert.Contains($"has {Content.Length - 10} bytes, expected {Content.Length}", error.Message);
    }

    [Fact]
    public async Task Pulling_a_catalogued_language_model_offline_is_one_line_with_the_url_the_mirror_setting_and_the_place_for_the_file()
    {
        var folder = TestWhisperModels.NewFolder("chat-offline");
        var settings = new ListeningSettings { Models = new ModelsOptions { Folder = folder, ChatUrl = "http://127.0.0.1:9" } };
        var error = new StringWriter();

        var code = await new ModelsCli(settings, new StringWriter(), error, interactive: false).PullAsync("qwen2.5-0.5b-instruct", null, ifMissing: false, TestContext.Current.CancellationToken);

        Assert.Equal(1, code);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("http://127.0.0.1:9/bartowski/Qwen2.5-0.5B-Instruct-GGUF/resolve/main/Qwen2.5-0.5B-Instruct-Q4_K_M.gguf", line);
        Assert.Contains("voice-agent.models.chat-url", line);
        Assert.Contains(Path.Combine(folder, "Qwen2.5-0.5B-Instruct-Q4_K_M.gguf"), line);
    }

    [Fact]
    public void The_list_shows_the_language_models_and_any_GGUF_put_in_the_folder_and_remove_deletes_it()
    {
        var folder = TestWhisperModels.NewFolder("chat-list");
        File.WriteAllBytes(Path.Combine(folder, "my-own.gguf"), Content);
        var settings = new ListeningSettings { Models = new ModelsOptions { Folder = folder } };
        var output = new StringWriter();
        var cli = new ModelsCli(settings, output, new StringWriter(), interactive: false) { ConfiguredLanguageModel = "my-own" };

        Assert.Equal(0, cli.List(null));

        var listing = output.ToString();
        Assert.Contains($"Language models (GGUF, run by llama.cpp) in {folder}", listing);
        Assert.Matches(@"  llama-3\.2-1b-instruct +770 MiB  SHA-256 6f85a640a97cf2bf5b8e764087b1e83da0fdb51d7c9fab7d0fece9385611df83 +no", listing);
        Assert.Contains("qwen2.5-0.5b-instruct    379 MiB  397808192 bytes", listing);
        Assert.Matches(@"\* my-own +2 MiB  \(not in the catalogue\) +yes", listing);

        Assert.Equal(0, cli.Remove("my-own", null));
        Assert.False(File.Exists(Path.Combine(folder, "my-own.gguf")));
    }

    [Fact]
    public void The_catalogue_offers_small_instruction_tuned_q4_k_m_models()
    {
        Assert.Equal(["qwen2.5-0.5b-instruct", "qwen2.5-1.5b-instruct", "llama-3.2-1b-instruct", "smollm2-1.7b-instruct"], ChatModelCatalog.Models.Select(m => m.Name));
        Assert.All(ChatModelCatalog.Models, m => Assert.EndsWith("-Q4_K_M.gguf", m.FileName));
        Assert.All(ChatModelCatalog.Models.Where(m => m.Sha256 is not null), m => Assert.Matches("^[0-9a-f]{64}$", m.Sha256!));
    }
}

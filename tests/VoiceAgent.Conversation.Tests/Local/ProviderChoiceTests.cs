using VoiceAgent.Conversation.Local;
using VoiceAgent.Listening.Models;

namespace VoiceAgent.Conversation.Tests.Local;

public class ProviderChoiceTests
{
    private static ConversationSettings Auto(string folder, string baseUrl = "") => new()
    {
        Provider = "auto",
        BaseUrl = baseUrl,
        Local = LocalChatClientTests.Settings,
        Models = new ModelsOptions { Folder = folder },
    };

    private static string EmptyFolder()
    {
        var folder = Path.Combine(GeneratedModels.Folder, $"empty-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    [Fact]
    public void Auto_with_nothing_installed_or_configured_is_the_offline_responder()
    {
        var backend = ChatClientFactory.Create(Auto(EmptyFolder()));

        Assert.Equal(OfflineResponder.Name, backend.ResponderName);
    }

    [Fact]
    public void Auto_with_an_endpoint_and_no_local_model_uses_the_endpoint()
    {
        Assert.Equal(ResponderKind.OpenAiCompatible, ChatClientFactory.Choose(Auto(EmptyFolder(), "http://127.0.0.1:8080/v1")));
    }

    [Fact]
    public void Auto_prefers_a_GGUF_model_in_the_models_folder_and_names_it()
    {
        var folder = EmptyFolder();
        File.Copy(GeneratedModels.Ending, Path.Combine(folder, "my-model.gguf"));

        var backend = ChatClientFactory.Create(Auto(folder, "http://127.0.0.1:8080/v1"));
        using var client = backend.Client;

        Assert.IsType<LocalChatClient>(backend.Client);
        Assert.StartsWith("local model my-model (llama", backend.ResponderName);
        Assert.NotNull(backend.WarmUp);
        Assert.Contains("tools are not offered", backend.ToolsUnsupported);
    }

    [Fact]
    public async Task The_warm_up_generates_and_reports_load_time_and_memory()
    {
        var folder = EmptyFolder();
        File.Copy(GeneratedModels.Ending, Path.Combine(folder, "my-model.gguf"));
        var backend = ChatClientFactory.Create(Auto(folder));
        using var client = backend.Client;

        var result = await backend.WarmUp!.WarmUpAsync(CancellationToken.None);

        Assert.Null(result.Problem);
        Assert.Matches(@"^local model ready: loaded in \d+\.\d s, warmed up in \d+\.\d s; model file \d+ MB, context 2048 tokens, this process now uses \d+ MB of memory$", result.Note);
    }
}

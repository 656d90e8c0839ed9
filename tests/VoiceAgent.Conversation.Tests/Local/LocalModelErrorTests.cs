using VoiceAgent.Configuration;
using VoiceAgent.Conversation.Local;
using VoiceAgent.TestSupport;

namespace VoiceAgent.Conversation.Tests.Local;

/// <summary>Every way a local model cannot be used is one line naming the file and the cause.</summary>
public class LocalModelErrorTests
{
    private static string Load(string path, Func<long?>? freeMemory = null)
    {
        var settings = new ConversationSettings { Provider = "local", Local = LocalChatClientTests.Settings with { Model = path } };
        var error = Assert.Throws<InvalidConfigurationException>(() => ChatClientFactory.Create(settings, freeMemory));
        Assert.DoesNotContain('\n', error.Message);
        return error.Message;
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var path = Path.Combine(GeneratedModels.Folder, "absent.gguf");

        var message = Load(path);

        Assert.Contains($"the local model file {path} does not exist", message);
    }

    [Fact]
    public void A_corrupt_file_names_llama_cpps_cause()
    {
        var path = Path.Combine(GeneratedModels.Folder, "corrupt.gguf");
        File.WriteAllBytes(path, [.. "not a model at all, just text"u8]);

        var message = Load(path);

        Assert.Contains(path, message);
        Assert.Contains("invalid magic", message);
    }

    [Fact]
    public void A_file_cut_short_names_llama_cpps_cause()
    {
        var path = Path.Combine(GeneratedModels.Folder, "truncated.gguf");
        var whole = File.ReadAllBytes(GeneratedModels.Scripted);
        File.WriteAllBytes(path, whole[..(whole.Length / 2)]);

        var message = Load(path);

        Assert.Contains(path, message);
        Assert.Matches("(data is not within the file bounds|tensor .* out of bounds|failed to read)", message);
    }

    [Fact]
    public void A_model_of_an_unknown_architecture_names_it()
    {
        var path = GeneratedModels.Generate("mystery.gguf", new LlamaModelContent(LlamaModelContent.Sentences, Architecture: "mystery-arch"));

        var message = Load(path);

        Assert.Contains(path, message);
        Assert.Contains("unknown model architecture: 'mystery-arch'", message);
    }

    [Fact]
    public void A_model_larger_than_free_memory_is_refused_with_the_numbers()
    {
        var message = Load(GeneratedModels.Scripted, freeMemory: () => 200 * 1024);

        Assert.Contains(GeneratedModels.Scripted, message);
        Assert.Contains("but only 0 MB of memory is free", message);
        Assert.Matches(@"needs about \d+ MB \(file \d+ MB \+ context of 2048 tokens\)", message);
    }

    [Fact]
    public void A_catalogued_model_that_is_not_installed_says_how_to_get_it()
    {
        var settings = new ConversationSettings
        {
            Provider = "local",
            Local = new LocalModelSettings { Model = "llama-3.2-1b-instruct" },
            Models = new Listening.Models.ModelsOptions { Folder = Path.Combine(GeneratedModels.Folder, "empty") },
        };

        var error = Assert.Throws<InvalidConfigurationException>(() => ChatClientFactory.Create(settings));

        Assert.StartsWith("the local model llama-3.2-1b-instruct is not installed: get it with `voice-agent models pull llama-3.2-1b-instruct`", error.Message);
    }
}

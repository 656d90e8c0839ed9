using VoiceAgent.TestSupport;

namespace VoiceAgent.Conversation.Tests.Local;

/// <summary>Language models the tests generate once per run, in a folder of their own.</summary>
public static class GeneratedModels
{
    private static readonly Lazy<string> FolderPath = new(() =>
    {
        var folder = Path.Combine(Path.GetTempPath(), $"voice-agent-gguf-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        return folder;
    });

    private static readonly Lazy<string> ScriptedPath = new(() => Generate("scripted.gguf", new LlamaModelContent(LlamaModelContent.Sentences)));
    private static readonly Lazy<string> EndingPath = new(() => Generate("ending.gguf", new LlamaModelContent(["▁Short", "▁answer."], EndAfterScript: true)));
    private static readonly Lazy<string> ThinkingPath = new(() => Generate("thinking.gguf",
        new LlamaModelContent(["<think>", "▁pondering", "▁quietly", "</think>", "▁Spoken", "▁words", "▁only."], EndAfterScript: true)));

    public static string Folder => FolderPath.Value;

    /// <summary>Repeats <see cref="LlamaModelContent.Sentences"/> until the token limit.</summary>
    public static string Scripted => ScriptedPath.Value;

    /// <summary>Says "Short answer." and ends the reply.</summary>
    public static string Ending => EndingPath.Value;

    /// <summary>Reasons inside &lt;think&gt; tags, then says "Spoken words only." and ends.</summary>
    public static string Thinking => ThinkingPath.Value;

    public static string Generate(string fileName, LlamaModelContent content, LlamaModelShape? shape = null)
    {
        var path = Path.Combine(Folder, fileName);
        GeneratedLlamaModel.Write(path, shape ?? LlamaModelShape.Tiny, content);
        return path;
    }
}

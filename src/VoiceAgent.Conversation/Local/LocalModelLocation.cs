using VoiceAgent.Listening.Models;

namespace VoiceAgent.Conversation.Local;

/// <summary>
/// Where the local language model is: a catalogue name (<c>qwen2.5-0.5b-instruct</c>) means its
/// file in the models folder; anything that looks like a path is that GGUF file. With no such file,
/// any GGUF model put in the models folder by hand is used (the first by name).
/// </summary>
public sealed record LocalModelLocation(string Path, string Name)
{
    public bool Exists => File.Exists(Path);

    /// <summary>The configured model's location, whether or not it is there.</summary>
    public static LocalModelLocation Configured(LocalModelSettings settings, ModelStore store)
    {
        var value = settings.Model.Trim();
        if (LooksLikePath(value))
        {
            var path = System.IO.Path.GetFullPath(ModelStore.ExpandHome(value));
            return new(path, System.IO.Path.GetFileNameWithoutExtension(path));
        }
        if (ChatModelCatalog.Find(value) is { } model) return new(store.PathFor(model), model.Name);
        // A name of a file put in the folder by hand, with or without .gguf.
        var file = value.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase) ? value : value + ".gguf";
        return new(System.IO.Path.Combine(store.Folder, file), System.IO.Path.GetFileNameWithoutExtension(file));
    }

    /// <summary>The configured model when installed, else any GGUF in the models folder, else null.</summary>
    public static LocalModelLocation? Installed(LocalModelSettings settings, ModelStore store)
    {
        var configured = Configured(settings, store);
        if (configured.Exists) return configured;
        var any = store.InstalledLanguageModels().FirstOrDefault();
        return any is null ? null : new LocalModelLocation(any.Path, any.Name);
    }

    private static bool LooksLikePath(string value) =>
        value.Contains('/') || value.Contains('\\') || value.StartsWith('~') || value.StartsWith('.');
}

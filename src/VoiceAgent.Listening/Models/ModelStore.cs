namespace VoiceAgent.Listening.Models;

/// <summary>A model file found in the store.</summary>
public sealed record InstalledModel(string Name, string Path, long Bytes);

/// <summary>
/// The per-user models folder: <c>ggml-NAME.bin</c> files, each used by its name. Downloads go
/// there (<see cref="ModelDownloader"/>); <c>voice-agent models</c> lists and removes them.
/// </summary>
public sealed class ModelStore(string folder)
{
    public string Folder { get; } = System.IO.Path.GetFullPath(folder);

    /// <summary>The per-user data folder: <c>$XDG_DATA_HOME/voice-agent/models</c> (by default
    /// <c>~/.local/share/voice-agent/models</c>) on Linux, <c>%LOCALAPPDATA%\voice-agent\models</c>
    /// on Windows.</summary>
    public static string DefaultFolder() =>
        System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "voice-agent", "models");

    /// <summary>The configured folder (<c>voice-agent.models.folder</c>), or a <c>--dir</c> given to a command.</summary>
    public static ModelStore For(ModelsOptions options, string? folderOverride = null) =>
        new(!string.IsNullOrWhiteSpace(folderOverride) ? ExpandHome(folderOverride)
            : !string.IsNullOrWhiteSpace(options.Folder) ? ExpandHome(options.Folder)
            : DefaultFolder());

    /// <summary>"~/models" is in the home folder, as a shell would read it.</summary>
    public static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + path[1..]
            : path;

    public string PathFor(string name) => System.IO.Path.Combine(Folder, SpeechModel.FileNameFor(name));

    /// <summary>Where a catalogued model (of any kind) lives: its own file name in the folder.</summary>
    public string PathFor(CatalogModel model) => System.IO.Path.Combine(Folder, model.FileName);

    public bool IsInstalled(string name) => File.Exists(PathFor(name));

    /// <summary>Every GGUF language model in the folder, catalogued or put there by hand, by file name.</summary>
    public IReadOnlyList<InstalledModel> InstalledLanguageModels()
    {
        if (!Directory.Exists(Folder)) return [];
        return Directory.EnumerateFiles(Folder, "*.gguf")
            .Select(path => new FileInfo(path))
            .Select(file => new InstalledModel(System.IO.Path.GetFileNameWithoutExtension(file.Name), file.FullName, file.Length))
            .OrderBy(m => m.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Every <c>ggml-*.bin</c> in the folder, catalogued or put there by hand.</summary>
    public IReadOnlyList<InstalledModel> Installed()
    {
        if (!Directory.Exists(Folder)) return [];
        return Directory.EnumerateFiles(Folder, "ggml-*.bin")
            .Select(path => new FileInfo(path))
            .Select(file => new InstalledModel(file.Name["ggml-".Length..^".bin".Length], file.FullName, file.Length))
            .OrderBy(m => m.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Deletes the model and any partial download of it; false when there was nothing.</summary>
    public bool Remove(string name)
    {
        var path = ChatModelCatalog.Find(name) is { } chat ? PathFor(chat)
            : InstalledLanguageModels().FirstOrDefault(m => m.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase))?.Path
            ?? PathFor(name);
        var removed = false;
        foreach (var file in new[] { path, ModelDownloader.PartialPath(path) })
        {
            if (!File.Exists(file)) continue;
            File.Delete(file);
            removed = true;
        }
        return removed;
    }
}

using VoiceAgent.Listening.Models;

namespace VoiceAgent.Listening.Recognition.Whisper;

/// <summary>Where the configured Whisper model is: a name (<c>base.en</c>) means
/// <c>ggml-base.en.bin</c> in the models folder; anything that looks like a path is that file.</summary>
public sealed record WhisperModelLocation(string Path, string Name, bool IsNamed)
{
    public static WhisperModelLocation Resolve(string model, ModelStore store)
    {
        var value = model.Trim();
        if (!LooksLikePath(value)) return new(store.PathFor(value), value, true);
        var path = System.IO.Path.GetFullPath(ModelStore.ExpandHome(value));
        var file = System.IO.Path.GetFileName(path);
        var name = file.StartsWith("ggml-", StringComparison.Ordinal) && file.EndsWith(".bin", StringComparison.Ordinal) ? file[5..^4] : file;
        return new(path, name, false);
    }

    public bool Exists => File.Exists(Path);

    /// <summary>Why it cannot be used when it is not there, with what to do.</summary>
    public string Missing => IsNamed
        ? SpeechModelCatalog.Find(Name) is null
            ? $"Whisper model {Name} is not installed and not one that can be downloaded (voice-agent models list shows them); put {System.IO.Path.GetFileName(Path)} in {System.IO.Path.GetDirectoryName(Path)} or set voice-agent.listening.whisper.model"
            : $"Whisper model {Name} is not installed (get it with: voice-agent models pull {Name})"
        : $"Whisper model file {Path} not found (check voice-agent.listening.whisper.model)";

    private static bool LooksLikePath(string value) =>
        value.Contains('/') || value.Contains('\\') || value.StartsWith('~') || value.StartsWith('.')
        || value.EndsWith(".bin", StringComparison.OrdinalIgnoreCase);
}

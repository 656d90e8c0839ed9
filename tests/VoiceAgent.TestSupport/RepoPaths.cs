namespace VoiceAgent.TestSupport;

/// <summary>Finds the repository (the folder holding VoiceAgent.sln) and the shared material
/// beside it (shared/audio, shared/models), wherever the tests run from.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string SharedAudio(string name) => Path.Combine(Shared, "audio", name);

    public static string SharedModel(string name) => Path.Combine(Shared, "models", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "VoiceAgent.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("VoiceAgent.sln not found above " + AppContext.BaseDirectory);
    }
}

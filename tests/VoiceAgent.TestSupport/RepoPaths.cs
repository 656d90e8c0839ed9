namespace VoiceAgent.TestSupport;

/// <summary>Finds the repository (the folder holding VoiceAgent.sln) wherever the tests run from, and
/// the material in it that tests use: audio fixtures (tests/fixtures) and models fetched by the
/// repository's own scripts (models/).</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>A file in tests/fixtures (test audio with its licence).</summary>
    public static string Fixture(string name) => Path.Combine(Root, "tests", "fixtures", name);

    /// <summary>A model in models/, put there by the scripts that test.sh runs.</summary>
    public static string Model(string name) => Path.Combine(Root, "models", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "VoiceAgent.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("VoiceAgent.sln not found above " + AppContext.BaseDirectory);
    }
}

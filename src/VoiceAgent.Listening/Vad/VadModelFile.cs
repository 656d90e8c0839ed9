using System.Security.Cryptography;

namespace VoiceAgent.Listening.Vad;

/// <summary>
/// Finds the Silero VAD model and checks that it is the expected file. The model is never part of
/// the repository: <c>scripts/fetch-vad-model.sh</c> (run by run.sh and test.sh) puts it in
/// <c>models/</c>; it may also live beside the app or in the user cache.
/// </summary>
public static class VadModelFile
{
    public const string FileName = "silero_vad_v5.onnx";
    public const string Sha256 = "2623a2953f6ff3d2c1e61740c6cdb7168133479b267dfef114a4a3cc5bdd788f";
    public const string FetchHint = "run scripts/fetch-vad-model.sh (./run.sh does it) or set voice-agent.listening.vad-model to the file";

    /// <summary>Where the model is looked for when no path is configured, in order.</summary>
    public static IEnumerable<string> Candidates()
    {
        yield return Path.Combine(AppContext.BaseDirectory, "models", FileName);
        yield return Path.Combine(Environment.CurrentDirectory, "models", FileName);
        yield return Path.Combine(UserCacheFolder(), FileName);
    }

    /// <summary>The per-user model folder the setup script fills.</summary>
    public static string UserCacheFolder()
    {
        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrEmpty(cache))
            cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(cache, "voice-agent", "models");
    }

    /// <summary>The verified model path, or an exception whose message is one line saying what to do.</summary>
    public static string Resolve(string? configuredPath)
    {
        string path;
        if (!string.IsNullOrWhiteSpace(configuredPath))
        {
            path = Path.GetFullPath(configuredPath);
            if (!File.Exists(path))
                throw new VadModelException($"voice-agent.listening.vad-model = \"{configuredPath}\": file not found; {FetchHint}.");
        }
        else
        {
            path = Candidates().FirstOrDefault(File.Exists)
                ?? throw new VadModelException($"Silero VAD model {FileName} not found (looked in ./models, beside the app and {UserCacheFolder()}); {FetchHint}.");
        }
        Verify(path);
        return path;
    }

    public static void Verify(string path)
    {
        using var stream = File.OpenRead(path);
        var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        if (actual != Sha256)
            throw new VadModelException($"{path} is not Silero VAD v5 (sha256 {actual}, expected {Sha256}); delete it and {FetchHint}.");
    }
}

public sealed class VadModelException(string message) : Exception(message);

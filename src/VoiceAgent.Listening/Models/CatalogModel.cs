using System.Security.Cryptography;

namespace VoiceAgent.Listening.Models;

/// <summary>A checksum a downloaded file must match before it is used.</summary>
/// <param name="Algorithm">"SHA-1" (whisper.cpp publishes these) or "SHA-256" (Hugging Face's LFS sums).</param>
public sealed record ModelChecksum(string Algorithm, string Hex)
{
    public static ModelChecksum Sha1(string hex) => new("SHA-1", hex);

    public static ModelChecksum Sha256(string hex) => new("SHA-256", hex);

    public async Task<string> ComputeAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
        var hash = Algorithm == "SHA-1"
            ? await SHA1.HashDataAsync(stream, cancellationToken)
            : await SHA256.HashDataAsync(stream, cancellationToken);
        return Convert.ToHexStringLower(hash);
    }
}

/// <summary>A model file that <c>voice-agent models pull</c> can fetch into the models folder.</summary>
public abstract record CatalogModel(string Name, int SizeMiB)
{
    /// <summary>The file's name in the models folder.</summary>
    public abstract string FileName { get; }

    /// <summary>What it is, for messages: "Whisper model", "language model".</summary>
    public abstract string Kind { get; }

    /// <summary>Null when no published sum is known: then <see cref="ExactBytes"/> is checked.</summary>
    public abstract ModelChecksum? Checksum { get; }

    /// <summary>The file's exact size, when known.</summary>
    public virtual long? ExactBytes => null;

    /// <summary>The setting that points downloads of this kind at a mirror.</summary>
    public abstract string MirrorSetting { get; }

    public abstract string UrlFrom(ModelsOptions options);
}

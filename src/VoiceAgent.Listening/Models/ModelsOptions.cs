using Akka.Configuration;
using VoiceAgent.Configuration;

namespace VoiceAgent.Listening.Models;

/// <summary>The <c>voice-agent.models</c> section: where downloaded models are kept and where
/// they come from.</summary>
public sealed record ModelsOptions
{
    public const string DefaultWhisperUrl = "https://huggingface.co/ggerganov/whisper.cpp/resolve/main";

    /// <summary>The models folder; empty is <see cref="ModelStore.DefaultFolder"/>.</summary>
    public string Folder { get; init; } = "";

    /// <summary>Base URL of the Whisper ggml files (a mirror with the same file names works).</summary>
    public string WhisperUrl { get; init; } = DefaultWhisperUrl;

    public static ModelsOptions FromConfig(Config section) => new()
    {
        Folder = section.GetString("folder", ""),
        WhisperUrl = CheckedUrl(section.GetString("whisper-url", DefaultWhisperUrl)),
    };

    /// <summary>Models download over HTTP(S): anything else is a mistake in the setting, said
    /// when the settings load rather than as a failed download.</summary>
    private static string CheckedUrl(string url)
    {
        if (Uri.TryCreate(url.Trim(), UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https")
            return url.Trim();
        throw new InvalidConfigurationException(
            $"voice-agent.models.whisper-url = \"{url}\" is not an http:// or https:// URL (a mirror with whisper.cpp's file names, e.g. {DefaultWhisperUrl}).");
    }
}

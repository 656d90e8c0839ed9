using Akka.Configuration;
using VoiceAgent.Configuration;

namespace VoiceAgent.Listening.Models;

/// <summary>The <c>voice-agent.models</c> section: where downloaded models are kept and where
/// they come from.</summary>
public sealed record ModelsOptions
{
    public const string DefaultWhisperUrl = "https://huggingface.co/ggerganov/whisper.cpp/resolve/main";
    public const string DefaultChatUrl = "https://huggingface.co";

    /// <summary>The models folder; empty is <see cref="ModelStore.DefaultFolder"/>.</summary>
    public string Folder { get; init; } = "";

    /// <summary>Base URL of the Whisper ggml files (a mirror with the same file names works).</summary>
    public string WhisperUrl { get; init; } = DefaultWhisperUrl;

    /// <summary>Base URL of the language models: Hugging Face, or a mirror with its layout (REPOSITORY/resolve/main/FILE).</summary>
    public string ChatUrl { get; init; } = DefaultChatUrl;

    public static ModelsOptions FromConfig(Config section) => new()
    {
        Folder = section.GetString("folder", ""),
        WhisperUrl = CheckedUrl("whisper-url", section.GetString("whisper-url", DefaultWhisperUrl), $"a mirror with whisper.cpp's file names, e.g. {DefaultWhisperUrl}"),
        ChatUrl = CheckedUrl("chat-url", section.GetString("chat-url", DefaultChatUrl), $"Hugging Face ({DefaultChatUrl}) or a mirror with its layout"),
    };

    /// <summary>Models download over HTTP(S): anything else is a mistake in the setting, said
    /// when the settings load rather than as a failed download.</summary>
    private static string CheckedUrl(string key, string url, string example)
    {
        if (Uri.TryCreate(url.Trim(), UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https")
            return url.Trim();
        throw new InvalidConfigurationException(
            $"voice-agent.models.{key} = \"{url}\" is not an http:// or https:// URL ({example}).");
    }
}

using Akka.Configuration;

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
        WhisperUrl = section.GetString("whisper-url", DefaultWhisperUrl),
    };
}

using Akka.Configuration;
using VoiceAgent.Configuration;

namespace VoiceAgent.Listening.Recognition.Whisper;

/// <summary>How Whisper decodes.</summary>
public enum WhisperSampling
{
    /// <summary>One candidate, the most likely token each step: fastest.</summary>
    Greedy,

    /// <summary>Beam search over <see cref="WhisperOptions.BeamSize"/> candidates: a little more accurate, slower.</summary>
    Beam,
}

/// <summary>The <c>voice-agent.listening.whisper</c> section.</summary>
public sealed record WhisperOptions
{
    /// <summary>A catalogue name (<c>base.en</c>) or the path of a ggml model file.</summary>
    public string Model { get; init; } = "base.en";

    /// <summary>A language code, or <c>auto</c> to detect it.</summary>
    public string Language { get; init; } = "en";

    /// <summary>CPU threads per transcription; 0 picks <see cref="AutoThreads"/>.</summary>
    public int Threads { get; init; }

    public WhisperSampling Sampling { get; init; } = WhisperSampling.Greedy;

    public int BeamSize { get; init; } = 5;

    /// <summary>Retry at higher temperatures when a decode looks unreliable; off keeps latency
    /// short and steady.</summary>
    public bool TemperatureFallback { get; init; }

    /// <summary>Text the model reads before each utterance: names and words to expect.</summary>
    public string InitialPrompt { get; init; } = "";

    public float NoSpeechThreshold { get; init; } = 0.6f;

    /// <summary>Half the cores, at most 4: Whisper shares the machine with the VAD, the TTS and
    /// playback, and under contention more threads (OpenMP spin-waiting) made calls slower.</summary>
    public static int AutoThreads => Math.Clamp(Environment.ProcessorCount / 2, 1, 4);

    public int EffectiveThreads => Threads > 0 ? Threads : AutoThreads;

    public static WhisperOptions FromConfig(Config section)
    {
        var defaults = new WhisperOptions();
        var threads = section.GetInt("threads", defaults.Threads);
        if (threads < 0) throw new InvalidConfigurationException($"voice-agent.listening.whisper.threads = {threads}: use 0 (automatic) or a positive number.");
        var beam = section.GetInt("beam-size", defaults.BeamSize);
        if (beam < 1) throw new InvalidConfigurationException($"voice-agent.listening.whisper.beam-size = {beam}: use 1 or more.");
        return new WhisperOptions
        {
            Model = section.GetString("model", defaults.Model),
            Language = section.GetString("language", defaults.Language),
            Threads = threads,
            Sampling = section.GetString("sampling", "greedy").Trim().ToLowerInvariant() switch
            {
                "greedy" => WhisperSampling.Greedy,
                "beam" => WhisperSampling.Beam,
                var other => throw new InvalidConfigurationException($"voice-agent.listening.whisper.sampling = \"{other}\" is not one of: greedy | beam."),
            },
            BeamSize = beam,
            TemperatureFallback = section.GetBoolean("temperature-fallback", defaults.TemperatureFallback),
            InitialPrompt = section.GetString("initial-prompt", defaults.InitialPrompt),
            NoSpeechThreshold = (float)section.GetDouble("no-speech-threshold", defaults.NoSpeechThreshold),
        };
    }
}

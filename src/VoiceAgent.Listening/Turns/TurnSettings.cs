using Akka.Configuration;
using VoiceAgent.Configuration;

namespace VoiceAgent.Listening.Turns;

/// <summary>What decides that the user's turn has ended.</summary>
public enum TurnDetector
{
    /// <summary>The silence the VAD needs to end an utterance, nothing more: the turn ends when
    /// its transcript arrives.</summary>
    Silence,

    /// <summary>The silence waited depends on the words: a sentence that trails off waits longer.</summary>
    Words,
}

/// <summary>The <c>voice-agent.turn</c> section: how long the user may pause before their turn ends.</summary>
public sealed record TurnSettings
{
    public TurnDetector Detector { get; init; } = TurnDetector.Words;

    /// <summary>Silence after speech that ends a turn that sounds finished (a question, a sentence).</summary>
    public TimeSpan MinSilence { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Silence that ends a turn whose words neither sound finished nor trail off.</summary>
    public TimeSpan Silence { get; init; } = TimeSpan.FromMilliseconds(800);

    /// <summary>Silence that ends any turn, however unfinished its words sound.</summary>
    public TimeSpan MaxSilence { get; init; } = TimeSpan.FromSeconds(2);

    public static TurnSettings FromConfig(Config root)
    {
        var turn = root.GetConfig("voice-agent.turn") ?? Config.Empty;
        var defaults = new TurnSettings();
        var settings = new TurnSettings
        {
            Detector = ParseDetector(turn.GetString("detector", "words")),
            MinSilence = turn.GetTimeSpan("min-silence", defaults.MinSilence),
            Silence = turn.GetTimeSpan("silence", defaults.Silence),
            MaxSilence = turn.GetTimeSpan("max-silence", defaults.MaxSilence),
        };
        if (settings.MinSilence > settings.Silence || settings.Silence > settings.MaxSilence)
            throw new InvalidConfigurationException(
                $"voice-agent.turn: min-silence ({Ms(settings.MinSilence)}) ≤ silence ({Ms(settings.Silence)}) ≤ max-silence ({Ms(settings.MaxSilence)}) must hold (defaults 500ms, 800ms, 2s).");
        return settings;
    }

    public static TurnDetector ParseDetector(string value) => value.Trim().ToLowerInvariant() switch
    {
        "words" => TurnDetector.Words,
        "silence" => TurnDetector.Silence,
        _ => throw new InvalidConfigurationException($"voice-agent.turn.detector = \"{value}\" is not one of: words | silence."),
    };

    private static string Ms(TimeSpan value) => $"{value.TotalMilliseconds:0}ms";
}

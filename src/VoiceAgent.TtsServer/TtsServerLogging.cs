using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace VoiceAgent.TtsServer;

/// <summary>The standalone server's log: one line per event on standard error, at the level
/// of <c>tts-server.log-level</c>. Session text and keys are never logged at any level.</summary>
public static class TtsServerLogging
{
    public static readonly string[] Levels = ["debug", "info", "warning", "error", "none"];

    public static LogLevel Parse(string level) => level.Trim().ToLowerInvariant() switch
    {
        "debug" => LogLevel.Debug,
        "info" or "information" => LogLevel.Information,
        "warning" or "warn" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "none" or "off" => LogLevel.None,
        _ => throw new ArgumentException($"tts-server.log-level '{level}' is not a level: use one of {string.Join(", ", Levels)}."),
    };

    public static ILoggerFactory CreateConsole(string level) =>
        LoggerFactory.Create(logging => logging
            .SetMinimumLevel(Parse(level))
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss ";
                console.IncludeScopes = false;
            })
            .Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
}

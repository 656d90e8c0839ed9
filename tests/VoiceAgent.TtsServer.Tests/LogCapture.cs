using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace VoiceAgent.TtsServer.Tests;

/// <summary>Keeps every log line (level and formatted message, exception message included) so a
/// test can check what the server logged.</summary>
public sealed class LogCapture : ILoggerProvider, ILoggerFactory
{
    public ConcurrentQueue<(LogLevel Level, string Text)> Lines { get; } = new();

    public IEnumerable<string> Texts => Lines.Select(l => l.Text);

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void AddProvider(ILoggerProvider provider) { }

    public void Dispose() { }

    private sealed class Logger(LogCapture capture) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            capture.Lines.Enqueue((logLevel, formatter(state, exception) + (exception is null ? "" : " | " + exception)));
    }

    /// <summary>Waits (bounded) until a line containing <paramref name="text"/> was logged.</summary>
    public async Task<string> WaitForAsync(string text)
    {
        var deadline = DateTime.UtcNow + TtsTestClient.Patience;
        while (DateTime.UtcNow < deadline)
        {
            if (Texts.FirstOrDefault(t => t.Contains(text, StringComparison.Ordinal)) is { } line) return line;
            await Task.Delay(20);
        }
        throw new Xunit.Sdk.XunitException($"nothing logged containing \"{text}\"; logged:\n{string.Join("\n", Texts)}");
    }
}

using Spectre.Console;

namespace VoiceAgent.Hosting;

/// <summary>Where the assistant reads typed lines and writes the conversation. The real console by
/// default; tests pass a reader and a recording console.</summary>
public sealed record ConsoleIo(TextReader Input, IAnsiConsole Output, bool EchoTypedLines)
{
    public static ConsoleIo Standard()
    {
        var console = AnsiConsole.Console;
        // Redirected output is read by programs, not people: do not wrap it at 80 columns.
        if (Console.IsOutputRedirected) console.Profile.Width = 4096;
        return new(Console.In, console, Console.IsInputRedirected);
    }
}

using System.CommandLine;
using System.CommandLine.Invocation;

namespace VoiceAgent.Commands;

/// <summary>
/// The one rule for mistakes on the command line and in settings: one line that names the problem
/// and where to look, on standard error, and exit code 2. (An unknown option, a missing argument
/// or a bad value is a mistake in how the program was started, just like a bad setting.)
/// </summary>
public static class CommandLineErrors
{
    public const int ExitCode = 2;

    /// <summary>True (and the line written) when the command line could not be parsed.</summary>
    public static bool Report(ParseResult parse, TextWriter error)
    {
        if (parse.Errors.Count == 0 || parse.Action is not ParseErrorAction) return false;
        var command = string.Join(' ', CommandPath(parse.CommandResult.Command));
        var message = string.Join(' ', parse.Errors[0].Message.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
        error.WriteLine($"voice-agent: {message.TrimEnd('.')}. See '{command} --help'.");
        return true;
    }

    private static IEnumerable<string> CommandPath(Command command)
    {
        var names = new Stack<string>();
        for (Command? c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault())
            names.Push(c is RootCommand ? "voice-agent" : c.Name);
        return names;
    }
}

using VoiceAgent.TestSupport;

namespace VoiceAgent.Tests.ConsoleUi;

/// <summary>With input and output piped, as scripts run it: plain lines, no escape codes, no status line.</summary>
public class PlainConsoleTests
{
    [Fact]
    public async Task Piped_input_and_output_get_plain_lines_without_ANSI_codes()
    {
        var sessions = Directory.CreateTempSubdirectory("sessions-").FullName;
        var result = await CliRunner.Run(
            ["-D", "audio.input=none", "-D", "audio.output=none", "-D", "tts.endpoint=none", "-D", "conversation.offline-word-delay=10ms", "-D", $"extensions.session-log.folder={sessions}"],
            standardInput: "hello\n/say All done.\n");

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.DoesNotContain('\u001b', result.StandardOutput + result.StandardError);
        var lines = result.StandardOutput.Replace("\r\n", "\n").Split('\n');
        Assert.Contains("you › hello", lines);
        Assert.Contains(lines, l => l.StartsWith("agent (offline responder) › Hello! I am VoiceAgent", StringComparison.Ordinal));
        Assert.Contains("agent › All done.", lines);
        Assert.Equal("Bye.", lines.Last(l => l.Length > 0));
        Assert.DoesNotContain(lines, l => l.StartsWith("● listening ·", StringComparison.Ordinal) || l.StartsWith("›", StringComparison.Ordinal));
    }
}

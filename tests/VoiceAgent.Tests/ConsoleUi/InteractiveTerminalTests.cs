using System.Text.RegularExpressions;
using VoiceAgent.Audio.Tests;
using VoiceAgent.Audio;
using VoiceAgent.Dsp;
using VoiceAgent.TestSupport;
using VoiceAgent.Tests.Doctor;

namespace VoiceAgent.Tests.ConsoleUi;

/// <summary>
/// The console in a real terminal (tmux): typed text keeps a line of its own below a streaming
/// reply, the status line shows what the assistant is doing, the screen survives resizes, and
/// the terminal is given back as it was.
/// </summary>
public class InteractiveTerminalTests
{
    private const string Story = "Here is a long story, so you can try cutting me off. Once upon a time, a small robot lived in a lighthouse by the sea.";

    /// <summary>Text mode, nothing played (audio is paced as if it were), a reply that streams slowly.</summary>
    private static readonly string[] TextMode =
        ["-D", "audio.input=none", "-D", "audio.output=none", "-D", "conversation.offline-word-delay=200ms"];

    private static readonly Regex StatusRow = new(@"^● (listening|hearing you|thinking|speaking|interrupted) · ");

    private static bool StatusIs(IReadOnlyList<string> rows, string state) =>
        TmuxTerminal.LiveRows(rows).Status.StartsWith($"● {state} · ", StringComparison.Ordinal);

    [Fact]
    public async Task A_line_typed_while_a_reply_streams_stays_on_its_own_line_and_the_status_shows_each_state()
    {
        using var terminal = TmuxTerminal.Start(100, 30, TextMode);
        await terminal.WaitFor(rows => StatusIs(rows, "listening"), "the status line: listening");
        Assert.Equal("›", TmuxTerminal.LiveRows(terminal.Rows()).Input);

        terminal.Type("tell me a story");
        terminal.Press("Enter");
        // The reply's first sentence streams word by word before it can be spoken: thinking.
        await terminal.WaitFor(rows => StatusIs(rows, "thinking"), "the status line: thinking");
        await terminal.WaitFor(rows => StatusIs(rows, "speaking"), "the status line: speaking");

        terminal.Type("hello there");
        // More of the reply streams in while the line is being typed.
        var rows = await terminal.WaitFor(rows => string.Join(' ', rows).Contains("small robot lived"), "the reply to go on streaming");

        var (status, input) = TmuxTerminal.LiveRows(rows);
        Assert.Equal("› hello there", input);
        Assert.Matches(StatusRow, status);
        Assert.Single(rows, row => row.Contains("hello there"));
        Assert.Contains(rows, row => row.StartsWith("agent (offline responder) › Here is a long story", StringComparison.Ordinal));
        // Colours are on in a colour terminal (the NO_COLOR test below checks they can be turned off).
        Assert.Matches(@"\u001b\[([0-9]+;)*(3[0-8]|9[0-7])[;m]", terminal.StyledScreen());

        terminal.Press("Enter");
        rows = await terminal.WaitFor(rows => rows.Contains("you › hello there") && rows.Any(r => r.Contains("⏸ interrupted")), "the typed line to interrupt");
        Assert.Equal("›", TmuxTerminal.LiveRows(rows).Input);

        terminal.Type("/quit");
        terminal.Press("Enter");
        var (exitCode, settings) = await terminal.WaitForExit();
        Assert.Equal(0, exitCode);
        AssertRestored(settings);
        Assert.DoesNotContain(terminal.Rows(), row => StatusRow.IsMatch(row));
    }

    [Fact]
    public async Task A_narrow_terminal_wraps_replies_between_words_survives_resizes_and_NO_COLOR_turns_colours_off()
    {
        using var terminal = TmuxTerminal.Start(40, 30, TextMode, new Dictionary<string, string> { ["NO_COLOR"] = "1" });
        await terminal.WaitFor(rows => StatusIs(rows, "listening"), "the status line");
        terminal.Type("tell me a story");
        terminal.Press("Enter");
        var rows = await terminal.WaitFor(rows => ReplyText(rows).Length > Story.Length, "the reply to fill several rows");

        // Rows break between words: put back together with spaces, they are the story itself.
        Assert.StartsWith(Story, ReplyText(rows));
        Assert.All(rows, row => Assert.True(row.Length < 40, $"'{row}' fills the row"));
        Assert.DoesNotMatch(@"\u001b\[([0-9]+;)*(3[0-8]|9[0-7])[;m]", terminal.StyledScreen());

        terminal.Type("a line longer than this narrow terminal is wide");
        await terminal.WaitFor(rows => TmuxTerminal.LiveRows(rows).Input.EndsWith("is wide", StringComparison.Ordinal), "the typed text, scrolled to its end");

        foreach (var columns in new[] { 70, 30 })
        {
            terminal.Resize(columns);
            // Redrawn at the new width: the live rows fit it, and wider ones use it (the terminal
            // itself reflows the older rows). Waiting for that before the next resize is what a
            // person does too; resizes closer together than a redraw can leave a copy behind.
            rows = await terminal.WaitFor(rows =>
            {
                var (status, input) = TmuxTerminal.LiveRows(rows);
                return input.EndsWith("is wide", StringComparison.Ordinal) && input.Length < columns && StatusRow.IsMatch(status)
                       && status.Length < columns && (columns < 40 || status.Length >= 40);
            }, $"the input and status rows redrawn at {columns} columns");
            // No copy of the status line is left behind on the screen.
            var statusRows = rows.Count(row => row.StartsWith("● speak", StringComparison.Ordinal) || row.StartsWith("● listen", StringComparison.Ordinal));
            Assert.True(statusRows == 1, $"{statusRows} status rows at {columns} columns:\n{string.Join('\n', rows)}");
        }

        terminal.Press("C-c");
        var (_, settings) = await terminal.WaitForExit();
        AssertRestored(settings);
        Assert.Contains("Bye.", terminal.Rows());
    }

    /// <summary>Everything from the reply's label to the status line, rows joined with spaces.</summary>
    private static string ReplyText(IReadOnlyList<string> rows)
    {
        var start = rows.ToList().FindIndex(r => r.StartsWith("agent (offline responder) › ", StringComparison.Ordinal));
        if (start < 0) return "";
        var reply = rows.Skip(start).TakeWhile(r => !StatusRow.IsMatch(r));
        return string.Join(' ', reply)["agent (offline responder) › ".Length..];
    }

    /// <summary>Line editing and echo are back on: the shell after us works as before.</summary>
    private static void AssertRestored(string settings)
    {
        Assert.Matches(@"(^|\s)icanon(\s|$)", settings);
        Assert.Matches(@"(^|\s)echo(\s|$)", settings);
    }
}

/// <summary>The status line with a microphone on the private PulseAudio server.</summary>
[Collection(PipeSourceCollection.Name)]
public class InteractiveTerminalMicrophoneTests
{
    [Fact]
    public async Task Speech_into_the_microphone_shows_hearing_you_and_its_level()
    {
        PulseRequirement.Require();
        using var terminal = TmuxTerminal.Start(100, 30,
            ["-D", "audio.input=pulse", "-D", "audio.output=none", "-D", "listening.recognizer=none",
             "-D", $"listening.vad-model={RepoPaths.Model("silero_vad_v5.onnx")}"],
            new Dictionary<string, string> { ["PULSE_SERVER"] = Environment.GetEnvironmentVariable("PULSE_SERVER")! });
        // The microphone is on the status line as soon as it is open; its level appears only once
        // audio arrives, and the pipe source delivers only what is written into it.
        await terminal.WaitFor(rows => TmuxTerminal.LiveRows(rows).Status.StartsWith("● listening · mic", StringComparison.Ordinal), "the microphone on the status line");

        var speech = WavFile.Read(RepoPaths.Fixture("jfk.wav")).Samples;
        await using (PipeSource.Start([.. speech, .. speech]))
        {
            var rows = await terminal.WaitFor(rows => TmuxTerminal.LiveRows(rows).Status.StartsWith("● hearing you · mic ", StringComparison.Ordinal), "hearing you");
            Assert.Matches(@"^● hearing you · mic [▮▯]{6} -\d+ dBFS", TmuxTerminal.LiveRows(rows).Status);
        }
        terminal.Press("C-c");
        await terminal.WaitForExit();
    }
}

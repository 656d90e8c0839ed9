using Spectre.Console;
using VoiceAgent.ConsoleUi;

namespace VoiceAgent.Tests.ConsoleUi;

/// <summary>What the interactive screen leaves on a terminal (a small VT100 model; the real
/// terminal is exercised in <see cref="InteractiveTerminalTests"/>).</summary>
public class TerminalScreenTests
{
    private const int Columns = 50;
    private readonly VirtualTerminal _terminal = new(Columns);
    private readonly TerminalScreen _screen;

    public TerminalScreenTests() => _screen = new TerminalScreen(_terminal, 24, Columns);

    private IReadOnlyList<string> Rows => _terminal.Rows;

    [Fact]
    public void Typing_while_a_reply_streams_keeps_the_typed_text_on_its_own_row()
    {
        _screen.Show(new StatusSnapshot { State = AgentState.Speaking });
        _screen.Write("agent › Once upon");
        _screen.SetInput("tell me", 7);
        _screen.Write(" a time");
        _screen.SetInput("tell me a", 9);
        _screen.Write(" there was");

        Assert.Equal(["agent › Once upon a time there was", "● speaking · no microphone: type to talk", "› tell me a"], Rows);
        Assert.Equal(2, _terminal.CursorRow);
        Assert.Equal(2 + "tell me a".Length, _terminal.CursorColumn);
    }

    [Fact]
    public void Finished_lines_scroll_above_and_the_live_rows_follow_them()
    {
        _screen.SetInput("draft", 5);
        _screen.Write("first line\nsecond ");
        _screen.Write("line\nthird");

        Assert.Equal(["first line", "second line", "third", "starting…", "› draft"], Rows);
    }

    [Fact]
    public void A_long_reply_breaks_at_spaces_within_the_width()
    {
        var reply = "Here is a long story, so you can try cutting me off. Once upon a time, a small robot lived in a lighthouse.";
        foreach (var word in reply.Split(' ')) _screen.Write(word + " ");

        var replyRows = Rows.Take(Rows.Count - 2).ToList();
        Assert.All(replyRows, row => Assert.True(row.Length < Columns, $"'{row}' is too wide"));
        Assert.Equal(reply, string.Join(' ', replyRows));
    }

    [Fact]
    public void A_word_longer_than_the_row_is_cut_and_styles_continue_on_the_next_row()
    {
        var raw = new VirtualTerminalCapture();
        var screen = new TerminalScreen(raw, 24, Columns);
        screen.Write("\u001b[34m" + new string('x', 70));
        _screen.Write("\u001b[34m" + new string('x', 70));

        Assert.Equal(new string('x', Columns - 1), Rows[0]);
        Assert.Equal(new string('x', 70 - Columns + 1), Rows[1]);
        // The first row closes the colour, the second opens it again.
        Assert.Contains("\u001b[34m" + new string('x', Columns - 1) + "\u001b[0m", raw.Text);
        Assert.Contains("\u001b[34m" + new string('x', 70 - Columns + 1), raw.Text);
    }

    [Fact]
    public void A_long_typed_line_scrolls_sideways_so_the_cursor_stays_visible()
    {
        var typed = string.Concat(Enumerable.Range(0, 30).Select(i => $"{i % 10}a"));
        _screen.SetInput(typed, typed.Length);

        var input = Rows[^1];
        Assert.True(input.Length < Columns);
        Assert.StartsWith("› ", input);
        Assert.EndsWith(typed[^20..], input);
        Assert.Equal(input.Length, _terminal.CursorColumn);
    }

    [Fact]
    public void After_a_resize_the_screen_is_drawn_again_from_the_conversation_at_the_new_width()
    {
        _screen.Show(new StatusSnapshot { State = AgentState.Listening, LastFirstAudio = TimeSpan.FromMilliseconds(480) });
        for (var i = 1; i <= 30; i++) _screen.Write($"line {i}\n");
        _screen.BeginResize();
        _terminal.Width = 20;
        _screen.SetInput("hello", 5); // not drawn while the resize settles: the old layout cannot be trusted
        _screen.Write("agent › a reply that no longer fits");

        _screen.Resize(24, 20);

        var visible = Rows.TakeLast(24).Where(r => r.Length > 0).ToList();
        // The screen is full again: the last lines of conversation, then the live rows, all within 20 columns.
        Assert.Equal(["line 11", "line 12"], visible.Take(2));
        Assert.Equal(["line 30", "agent › a reply", "that no longer fits", "● listening · no m…", "› hello"], visible.TakeLast(5));
        Assert.All(visible, row => Assert.True(row.Length < 20, row));
    }

    [Fact]
    public void Closing_leaves_the_conversation_and_removes_the_live_rows()
    {
        _screen.SetInput("half typed", 10);
        _screen.Write("agent › an unfinished reply");
        _screen.Close();
        _screen.Write("Bye.\n");

        Assert.Equal(["agent › an unfinished reply", "Bye."], Rows.Where(r => r.Length > 0));
    }

    [Fact]
    public void Status_pieces_are_styled_unless_colours_are_off()
    {
        var coloured = new VirtualTerminalCapture();
        var screen = new TerminalScreen(coloured, 24, 80, ColorSystem.Standard);
        screen.Show(new StatusSnapshot { State = AgentState.Speaking });
        Assert.Matches(ColourCode, coloured.Text);

        var plain = new VirtualTerminalCapture();
        screen = new TerminalScreen(plain, 24, 80, ColorSystem.NoColors);
        screen.Show(new StatusSnapshot { State = AgentState.Speaking });
        Assert.DoesNotMatch(ColourCode, plain.Text);
    }

    /// <summary>A foreground colour in an SGR sequence (30-38, 90-97).</summary>
    private const string ColourCode = "\u001b\\[([0-9]+;)*(3[0-8]|9[0-7])[;m]";

    /// <summary>Keeps the raw bytes written.</summary>
    private sealed class VirtualTerminalCapture : StringWriter
    {
        public string Text => ToString();
    }
}

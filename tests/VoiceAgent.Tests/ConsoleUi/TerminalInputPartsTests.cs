using System.Text;
using VoiceAgent.ConsoleUi;

namespace VoiceAgent.Tests.ConsoleUi;

public class KeyDecoderTests
{
    private readonly KeyDecoder _decoder = new();

    private IReadOnlyList<Key> Feed(string input) => _decoder.Feed(Encoding.UTF8.GetBytes(input));

    [Fact]
    public void Text_control_keys_and_both_forms_of_cursor_keys_are_told_apart()
    {
        var keys = Feed("hi\u001b[D\u001bOC\u001b[3~\u001b[H\u001b[4~\u007f\u0015\u0017\r\n");
        Assert.Equal(
            [new Key(KeyKind.Text, "hi"), new(KeyKind.Left), new(KeyKind.Right), new(KeyKind.Delete), new(KeyKind.Home),
             new(KeyKind.End), new(KeyKind.Backspace), new(KeyKind.ClearLine), new(KeyKind.DeleteWord), new(KeyKind.Enter)],
            keys);
    }

    [Fact]
    public void A_sequence_or_a_character_split_between_reads_is_put_back_together()
    {
        Assert.Equal([new Key(KeyKind.Text, "a")], Feed("a\u001b["));
        Assert.Equal([new Key(KeyKind.Up)], Feed("A"));

        var euro = Encoding.UTF8.GetBytes("€");
        Assert.Empty(_decoder.Feed(euro.AsSpan(0, 1)));
        Assert.Equal([new Key(KeyKind.Text, "€")], _decoder.Feed(euro.AsSpan(1)));
    }

    [Fact]
    public void Alt_keys_function_keys_and_other_controls_are_dropped()
    {
        Assert.Equal([new Key(KeyKind.Text, "x")], Feed("\u001bb\u001b[15~\u0007x"));
    }
}

public class LineEditorTests
{
    private readonly LineEditor _editor = new();

    private void Type(string text) => _editor.Apply(new Key(KeyKind.Text, text));

    private (EditOutcome, string?) Press(KeyKind kind) => _editor.Apply(new Key(kind));

    [Fact]
    public void Editing_in_the_middle_and_submitting()
    {
        Type("helo");
        Press(KeyKind.Left);
        Type("l");
        Assert.Equal("hello", _editor.Text);
        Assert.Equal(4, _editor.Cursor);
        Press(KeyKind.End);
        Type(" world");
        Press(KeyKind.DeleteWord);
        Assert.Equal("hello ", _editor.Text);

        Assert.Equal((EditOutcome.Submitted, "hello "), Press(KeyKind.Enter));
        Assert.Equal("", _editor.Text);
    }

    [Fact]
    public void A_character_outside_the_basic_plane_moves_and_deletes_as_one()
    {
        Type("a😀b");
        Press(KeyKind.Left);
        Press(KeyKind.Left);
        Assert.Equal(1, _editor.Cursor);
        Press(KeyKind.Delete);
        Assert.Equal("ab", _editor.Text);
    }

    [Fact]
    public void Up_and_down_walk_the_lines_sent_and_come_back_to_the_draft()
    {
        Type("first");
        Press(KeyKind.Enter);
        Type("second");
        Press(KeyKind.Enter);
        Type("draft");

        Press(KeyKind.Up);
        Assert.Equal("second", _editor.Text);
        Press(KeyKind.Up);
        Assert.Equal("first", _editor.Text);
        Press(KeyKind.Down);
        Press(KeyKind.Down);
        Assert.Equal("draft", _editor.Text);
    }

    [Fact]
    public void Ctrl_D_ends_input_only_on_an_empty_line()
    {
        Type("ab");
        Press(KeyKind.Home);
        Assert.Equal(EditOutcome.Changed, Press(KeyKind.EndOfInput).Item1);
        Assert.Equal("b", _editor.Text);
        Press(KeyKind.ClearLine);
        Assert.Equal(EditOutcome.EndOfInput, Press(KeyKind.EndOfInput).Item1);
    }
}

public class AnsiTextTests
{
    [Fact]
    public void Escape_sequences_take_no_room_and_wide_characters_two_cells()
    {
        Assert.Equal(5, AnsiText.Width("\u001b[1;34mhello\u001b[0m"));
        Assert.Equal(4, AnsiText.Width("日本"));
    }

    [Fact]
    public void A_break_falls_after_the_last_space_that_fits_and_keeps_the_style_going()
    {
        var (head, tail) = AnsiText.Break("\u001b[34mone two three\u001b[0m", 9)!.Value;
        Assert.Equal("\u001b[34mone two\u001b[0m", head);
        Assert.Equal("\u001b[34mthree\u001b[0m", tail);
        Assert.Null(AnsiText.Break("fits", 9));
    }

    [Fact]
    public void Truncation_marks_the_cut()
    {
        Assert.Equal("● listen…", AnsiText.Truncate("● listening", 9));
        Assert.Equal("short", AnsiText.Truncate("short", 9));
    }
}

using VoiceAgent.Audio.Playback;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Audio.Tests.Playback;

public class TurnProgressTests
{
    private const int Rate = 16_000;

    private static TurnProgress TurnWithSegments()
    {
        // Two segments of 1000 samples each, their markers after their audio.
        var turn = new TurnProgress(new TurnId(1));
        turn.Written = 1000;
        turn.AddMarker("one two");
        turn.Written = 2000;
        turn.AddMarker("three four five six");
        return turn;
    }

    [Fact]
    public void A_segment_is_heard_once_its_marker_is_reached()
    {
        var turn = TurnWithSegments();

        turn.Reach(999);
        Assert.Equal("", turn.HeardText());
        turn.Reach(1000);
        Assert.Equal("one two", turn.HeardText());
        turn.Reach(2000);
        Assert.Equal("one two three four five six", turn.HeardText());
    }

    [Fact]
    public void The_heard_position_never_moves_back()
    {
        var turn = TurnWithSegments();
        turn.Reach(1500);

        turn.Reach(1200);

        Assert.Equal(1500, turn.Heard);
        Assert.Equal(1500, turn.HeardPosition(TimeSpan.FromSeconds(1), Rate));
    }

    [Fact]
    public void The_heard_position_is_what_was_written_less_what_the_device_holds()
    {
        var turn = TurnWithSegments();

        Assert.Equal(2000 - 320, turn.HeardPosition(TimeSpan.FromMilliseconds(20), Rate));
    }

    [Fact]
    public void A_cut_segment_counts_in_proportion_to_its_audio_heard()
    {
        var turn = TurnWithSegments();
        turn.Reach(1500);

        Assert.Equal("one two three four", turn.HeardTextWhenCut(1500, upcoming: null));
    }

    [Fact]
    public void A_cut_segment_whose_marker_is_still_queued_uses_that_marker()
    {
        var turn = new TurnProgress(new TurnId(1)) { Written = 400 };
        turn.Reach(300);

        Assert.Equal("a b c", turn.HeardTextWhenCut(300, new PendingMarker(400, "a b c d")));
    }

    [Fact]
    public void A_cut_segment_without_its_text_adds_nothing()
    {
        var turn = new TurnProgress(new TurnId(1)) { Written = 400 };
        turn.Reach(300);

        Assert.Equal("", turn.HeardTextWhenCut(300, upcoming: null));
    }
}

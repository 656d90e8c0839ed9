using VoiceAgent.Listening.Echo;

namespace VoiceAgent.Listening.Tests;

public class ReferenceAlignerTests
{
    private const int Piece = 320;

    /// <summary>Stamps as a player would send them: the truth plus a constant error and jitter.</summary>
    private static long Stamp(long truth, int error, Random jitter) => truth + error + jitter.Next(-3, 4);

    [Fact]
    public void Continuing_pieces_go_back_to_back_whatever_their_stamps_say()
    {
        var aligner = new ReferenceAligner(16_000);
        var jitter = new Random(7);
        var first = aligner.Place(Stamp(1000, 0, jitter), Piece, continues: false);
        for (var k = 1; k < 50; k++)
            Assert.Equal(first + k * Piece, aligner.Place(Stamp(1000 + k * Piece, 0, jitter), Piece, continues: true));
    }

    [Fact]
    public void A_new_stream_lines_up_with_the_stream_before_it()
    {
        var aligner = new ReferenceAligner(16_000);
        var jitter = new Random(3);
        // The first stream is anchored while the stamps run 20 samples early; later they run 5
        // samples late (the clock mapping improved), as the offset learns from continuing pieces.
        var first = aligner.Place(1000 - 20, Piece, continues: false);
        for (var k = 1; k < 100; k++) aligner.Place(Stamp(1000 + k * Piece, 5, jitter), Piece, continues: true);
        aligner.Cut();

        // After a pause the next stream is placed as the first one would have continued, not
        // where its stamp alone says (which would move the echo path by 25 samples).
        var resumedTruth = 1000 + 200 * Piece;
        var placed = aligner.Place(Stamp(resumedTruth, 5, jitter), Piece, continues: false);
        Assert.InRange(placed - (first + (resumedTruth - 1000)), -2, 2);
    }

    [Fact]
    public void A_step_of_the_clock_mapping_during_a_pause_does_not_move_the_next_stream()
    {
        var aligner = new ReferenceAligner(16_000);
        var first = aligner.Place(1000, Piece, continues: false);
        for (var k = 1; k < 100; k++) aligner.Place(1000 + k * Piece, Piece, continues: true);
        aligner.Cut();
        aligner.StampsShifted(35);

        var resumedTruth = 1000 + 200 * Piece;
        Assert.Equal(first + (resumedTruth - 1000), aligner.Place(resumedTruth + 35, Piece, continues: false));
    }

    [Fact]
    public void A_continuing_piece_stamped_far_away_starts_a_new_stream_at_its_stamp()
    {
        var aligner = new ReferenceAligner(16_000);
        aligner.Place(1000, Piece, continues: false);
        // 50 ms later than the previous piece's end: the device must have run dry in between.
        Assert.Equal(1000 + Piece + 800, aligner.Place(1000 + Piece + 800, Piece, continues: true));
    }

    [Fact]
    public void An_offset_that_wandered_beyond_its_limit_is_dropped_at_the_next_stream()
    {
        var aligner = new ReferenceAligner(16_000);
        aligner.Place(1000, Piece, continues: false);
        aligner.StampsShifted((long)(16 * (ReferenceAligner.MaxOffsetMs + 2))); // more than MaxOffsetMs
        aligner.Cut();
        Assert.Equal(50_000, aligner.Place(50_000, Piece, continues: false));
        Assert.Equal(0, aligner.Offset);
    }
}

public class ReferenceTimelineTests
{
    [Fact]
    public void A_cut_forgets_the_reference_after_it_and_keeps_what_came_before()
    {
        var timeline = new ReferenceTimeline(16_000);
        timeline.Write(100, Enumerable.Repeat(0.5f, 200).ToArray());
        timeline.Cut(180);
        Assert.Equal(0.5f, timeline.Read(179));
        Assert.Equal(0f, timeline.Read(180));
        Assert.Equal(0f, timeline.Read(299));
        Assert.Equal(180, timeline.End);
        // Later reference is written as usual.
        timeline.Write(400, [0.25f]);
        Assert.Equal(0.25f, timeline.Read(400));
    }
}

public class CaptureClockTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Reports_how_far_a_less_delayed_frame_moves_the_mapping()
    {
        var clock = new CaptureClock();
        // Frame ending at 20 ms arrives 5 ms late; the next one only 2 ms late.
        Assert.Equal(TimeSpan.Zero, clock.Observe(TimeSpan.FromMilliseconds(20), T0 + TimeSpan.FromMilliseconds(25)));
        Assert.Equal(TimeSpan.FromMilliseconds(3), clock.Observe(TimeSpan.FromMilliseconds(40), T0 + TimeSpan.FromMilliseconds(42)));
        // A later frame adds nothing.
        Assert.Equal(TimeSpan.Zero, clock.Observe(TimeSpan.FromMilliseconds(60), T0 + TimeSpan.FromMilliseconds(70)));
        Assert.Equal(TimeSpan.FromMilliseconds(100), clock.ToCapture(T0 + TimeSpan.FromMilliseconds(102)));
    }
}

using VoiceAgent.Listening.Echo;

namespace VoiceAgent.Listening.Tests;

public class EchoAlignmentTests
{
    private const int Frame = 320;

    private static float[] Speech(int seconds) => TestModel.Jfk().Take(seconds * 16000).Select(s => s / 32768f).ToArray();

    /// <summary>Feeds the tracker a microphone and an estimate that is <paramref name="late"/>
    /// samples behind it; returns the first shift it asks for.</summary>
    private static int FirstShift(int late, float userLevel = 0, bool newStream = false)
    {
        var echo = Speech(4);
        var tracker = new EchoAlignmentTracker();
        if (newStream) tracker.NewStream();
        var noise = new Random(5);
        for (var at = Frame * (1 + Math.Abs(late) / Frame); at + Frame + Math.Abs(late) <= echo.Length; at += Frame)
        {
            var mic = new float[Frame];
            var estimate = new float[Frame];
            for (var i = 0; i < Frame; i++)
            {
                mic[i] = echo[at + i] + userLevel * (float)(noise.NextDouble() * 2 - 1);
                estimate[i] = echo[at + i - late];
            }
            if (tracker.Add(mic, estimate) is var shift and not 0) return shift;
        }
        return 0;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(-1)]
    [InlineData(-3)]
    public void Finds_how_far_the_reference_is_off(int late) => Assert.Equal(late, FirstShift(late));

    [Fact]
    public void Says_nothing_when_the_reference_is_in_place() => Assert.Equal(0, FirstShift(0));

    /// <summary>PulseAudio's latency figure placed resumed streams 7–162 samples from their echo,
    /// and a stream after the device ran dry 638: right after a new stream the search reaches that far.</summary>
    [Theory]
    [InlineData(162)]
    [InlineData(-90)]
    [InlineData(12)]
    [InlineData(638)]
    public void Right_after_a_new_stream_finds_a_placement_milliseconds_off(int late) =>
        Assert.Equal(late, FirstShift(late, newStream: true));

    [Fact]
    public void Within_a_stream_moves_the_reference_only_a_few_samples_at_a_time() =>
        Assert.InRange(FirstShift(162), -new EchoAlignmentTracker().MaxLag, new EchoAlignmentTracker().MaxLag);

    [Fact]
    public void Right_after_a_new_stream_says_nothing_far_while_something_else_drowns_the_echo() =>
        Assert.Equal(0, FirstShift(162, userLevel: 0.5f, newStream: true));

    [Fact]
    public void The_wide_search_ends_at_once_when_the_placement_is_right()
    {
        var echo = Speech(4);
        var tracker = new EchoAlignmentTracker();
        tracker.NewStream();
        for (var at = Frame; at + Frame <= 16_000; at += Frame)
            tracker.Add(echo.AsSpan(at, Frame), echo.AsSpan(at, Frame));
        Assert.False(tracker.Searching);
    }

    [Fact]
    public void The_wide_search_gives_up_when_no_placement_explains_the_microphone()
    {
        // The echo path changed: what the estimate predicts is not what is heard, at any lag.
        var echo = Speech(4);
        var other = Speech(4).Reverse().ToArray();
        var tracker = new EchoAlignmentTracker();
        tracker.NewStream();
        var shifts = new List<int>();
        for (var at = Frame; at + Frame <= 16_000; at += Frame)
            shifts.Add(tracker.Add(echo.AsSpan(at, Frame), other.AsSpan(at, Frame)));
        Assert.All(shifts, s => Assert.InRange(s, -tracker.MaxLag, tracker.MaxLag));
        Assert.False(tracker.Searching);
    }

    /// <summary>Shifts the tracker asks for when the estimate is two samples late only in frames
    /// [<paramref name="from"/>, <paramref name="to"/>) (one window is 800 samples, about three
    /// frames) and in place elsewhere.</summary>
    private static List<int> ShiftsWithOneWindowOff(EchoAlignmentTracker tracker, int from, int to, bool newStreamAtFrom = false)
    {
        var echo = Speech(4);
        var shifts = new List<int>();
        for (var at = Frame; at + Frame <= echo.Length; at += Frame)
        {
            if (newStreamAtFrom && at / Frame == from) tracker.NewStream();
            var late = at / Frame >= from && at / Frame < to ? 2 : 0;
            var mic = echo.AsSpan(at, Frame).ToArray();
            var estimate = new float[Frame];
            for (var i = 0; i < Frame; i++) estimate[i] = echo[at + i - late];
            shifts.Add(tracker.Add(mic, estimate));
        }
        return shifts;
    }

    [Fact]
    public void Within_a_stream_says_nothing_when_only_one_window_looks_off()
    {
        // As a user's breath over quiet echo can make it look.
        var shifts = ShiftsWithOneWindowOff(new EchoAlignmentTracker(), 20, 23);
        Assert.All(shifts, s => Assert.Equal(0, s));
    }

    [Fact]
    public void Right_after_a_new_stream_the_first_clear_shift_is_taken_at_once()
    {
        // A new stream placed by its stamp two samples off, in the middle of speech: its first
        // window shows it.
        var shifts = ShiftsWithOneWindowOff(new EchoAlignmentTracker(), 20, 23, newStreamAtFrom: true);
        Assert.Equal(2, shifts.First(s => s != 0));
    }

    [Fact]
    public void Says_nothing_while_something_else_drowns_the_echo() => Assert.Equal(0, FirstShift(2, userLevel: 0.5f));

    [Fact]
    public void The_timeline_moves_what_follows_a_point_earlier_or_later()
    {
        var timeline = new ReferenceTimeline(1000);
        timeline.Write(100, Enumerable.Range(0, 100).Select(i => (float)i).ToArray());

        timeline.Shift(150, 2);
        Assert.Equal(49f, timeline.Read(149));
        Assert.Equal(52f, timeline.Read(150));
        Assert.Equal(198, timeline.End);

        timeline.Shift(160, -3);
        Assert.Equal(59f, timeline.Read(160));
        Assert.Equal(65f, timeline.Read(166));
        Assert.Equal(201, timeline.End);
    }
}

using VoiceAgent.Audio.Playback;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Audio.Tests.Playback;

public class PlaybackQueueTests
{
    private const int Rate = 16_000;

    private static AudioChunk Chunk(long turn, int samples, string? text = null, int rate = Rate) =>
        new(new TurnId(turn), new short[samples], rate, text);

    private static List<QueueItem> TakeAll(PlaybackQueue queue, int pieceSamples = 1000)
    {
        var items = new List<QueueItem>();
        while (!queue.IsEmpty) items.Add(queue.TakeNext(pieceSamples, out _));
        return items;
    }

    [Fact]
    public void Audio_is_taken_in_pieces_then_its_marker()
    {
        var queue = new PlaybackQueue(Rate);
        queue.Add(Chunk(1, 250, " hello "));

        Assert.True(queue.NextIsAudio);
        queue.TakeNext(100, out var first);
        queue.TakeNext(100, out var second);
        queue.TakeNext(100, out var third);
        var marker = queue.TakeNext(100, out var none);

        Assert.Equal([100, 100, 50], new[] { first!.Length, second!.Length, third!.Length });
        Assert.Equal("hello", Assert.IsType<MarkerItem>(marker).Text);
        Assert.Null(none);
        Assert.True(queue.IsEmpty);
    }

    [Fact]
    public void A_stopped_turn_and_older_ones_are_dropped_and_refused_afterwards()
    {
        var queue = new PlaybackQueue(Rate);
        queue.Add(Chunk(1, 100));
        queue.Add(Chunk(2, 100));
        queue.Add(Chunk(3, 100));

        var stop = queue.Drop(new TurnId(2), playing: null);

        Assert.Equal(new TurnId(2), stop!.Turn);
        Assert.False(queue.Add(Chunk(2, 100)));
        Assert.False(queue.Complete(new TurnId(1)));
        Assert.Null(queue.Drop(new TurnId(2), playing: null));
        Assert.Equal([new TurnId(3)], TakeAll(queue).Select(i => i.Turn));
    }

    [Fact]
    public void A_finished_turn_and_older_ones_are_refused()
    {
        var queue = new PlaybackQueue(Rate);
        queue.Complete(new TurnId(2));
        TakeAll(queue);

        Assert.True(queue.Finish(new TurnId(2)));

        Assert.False(queue.Add(Chunk(2, 100)));
        Assert.False(queue.Add(Chunk(1, 100)));
        Assert.True(queue.Add(Chunk(3, 100)));
    }

    [Fact]
    public void A_turn_stopped_while_finishing_does_not_finish()
    {
        var queue = new PlaybackQueue(Rate);
        queue.Drop(new TurnId(2), playing: null);

        Assert.False(queue.Finish(new TurnId(2)));
        Assert.Equal(TurnId.None, queue.FinishedThrough);
    }

    [Fact]
    public void A_stop_finds_where_the_playing_segment_ends_in_the_queue()
    {
        var queue = new PlaybackQueue(Rate);
        var playing = new TurnProgress(new TurnId(1)) { Written = 300 };
        queue.Add(Chunk(1, 200, "the end"));

        var stop = queue.Drop(new TurnId(1), playing);

        Assert.Equal(new PendingMarker(500, "the end"), stop!.Upcoming);
        Assert.True(queue.IsEmpty);
    }

    [Fact]
    public void Audio_at_another_rate_is_resampled_and_its_tail_comes_before_the_end()
    {
        var queue = new PlaybackQueue(Rate);
        queue.Add(Chunk(1, 2400, rate: 24_000));
        queue.Complete(new TurnId(1));

        var items = new List<(QueueItem Item, short[]? Piece)>();
        while (!queue.IsEmpty) items.Add((queue.TakeNext(100_000, out var piece), piece));

        Assert.Equal(1600, items.Where(i => i.Piece is not null).Sum(i => i.Piece!.Length));
        Assert.IsType<EndItem>(items[^1].Item);
    }

    [Fact]
    public void Put_back_audio_is_played_next()
    {
        var queue = new PlaybackQueue(Rate);
        queue.Add(Chunk(1, 100));

        queue.PutBack(new TurnId(1), [7, 7]);

        queue.TakeNext(1000, out var piece);
        Assert.Equal([7, 7], piece);
    }
}

using VoiceAgent.Audio.Playback;

namespace VoiceAgent.Audio.Tests.Playback;

public class RewindHistoryTests
{
    private static short[] Piece(short first, int length) =>
        Enumerable.Range(first, length).Select(i => (short)i).ToArray();

    [Fact]
    public void Keeps_at_least_its_capacity_dropping_whole_pieces_from_the_front()
    {
        var history = new RewindHistory(capacity: 25);

        for (short i = 0; i < 5; i++) history.Add(Piece((short)(i * 10), 10));

        // 30 samples: dropping the oldest piece would leave less than the capacity.
        Assert.Equal(30, history.Samples);
        Assert.Equal(Piece(20, 30), history.TakeBack(30));
    }

    [Fact]
    public void Takes_back_the_last_samples_across_pieces_in_order()
    {
        var history = new RewindHistory(capacity: 100);
        history.Add(Piece(0, 10));
        history.Add(Piece(10, 10));

        Assert.Equal(Piece(5, 15), history.TakeBack(15));
        Assert.Equal(5, history.Samples);
        Assert.Equal(Piece(0, 5), history.TakeBack(5));
    }

    [Fact]
    public void Clear_forgets_everything()
    {
        var history = new RewindHistory(capacity: 100);
        history.Add(Piece(0, 10));

        history.Clear();

        Assert.Equal(0, history.Samples);
    }
}

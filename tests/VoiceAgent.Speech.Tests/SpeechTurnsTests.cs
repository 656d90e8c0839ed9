using VoiceAgent.Core.Protocol;
using Xunit;

namespace VoiceAgent.Speech.Tests;

/// <summary>The per-turn bookkeeping behind the TtsActor, without an actor system.</summary>
public sealed class SpeechTurnsTests
{
    private static readonly TurnId Turn = new(1);

    [Fact]
    public void A_turn_starts_once_and_never_again_once_finished()
    {
        var turns = new SpeechTurns();
        var first = turns.Start(Turn, out var started);
        Assert.True(started);
        Assert.Same(first, turns.Start(Turn, out started));
        Assert.False(started);

        turns.Finish(first!);
        Assert.Null(turns.Start(Turn, out started));
        Assert.Null(turns.Unfinished(Turn));
    }

    [Fact]
    public void A_barge_in_before_the_turn_arrives_keeps_it_from_ever_speaking()
    {
        var turns = new SpeechTurns();
        Assert.Null(turns.Interrupt(Turn));
        Assert.Null(turns.Start(Turn, out _));
    }

    [Fact]
    public void An_interrupted_turn_is_no_longer_speaking_and_a_second_barge_in_finds_nothing()
    {
        var turns = new SpeechTurns();
        var turn = turns.Start(Turn, out _)!;
        Assert.Same(turn, turns.Interrupt(Turn));
        Assert.True(turn.Interrupted);
        Assert.Null(turns.Speaking(Turn));
        Assert.Same(turn, turns.Unfinished(Turn));
        Assert.Null(turns.Interrupt(Turn));
    }

    [Fact]
    public async Task Text_waits_for_the_stream_in_order_then_goes_straight_through()
    {
        var turn = new SpeechTurn(Turn);
        Assert.True(turn.HoldBack("Hello"));
        Assert.True(turn.HoldBack(" world."));
        var stream = await new TextOnlySynthesizer(24_000).OpenAsync(Turn, CancellationToken.None);
        Assert.Equal(["Hello", " world."], turn.Attach(stream));
        Assert.False(turn.HoldBack(" More."));
    }

    [Fact]
    public void Metrics_count_audio_from_the_first_text_sent()
    {
        var turn = new SpeechTurn(Turn);
        var start = DateTimeOffset.UnixEpoch;
        turn.TextSent(start);
        turn.TextSent(start.AddSeconds(5)); // only the first counts
        Assert.False(turn.AudioArrived(new SpeechAudio([], null, 10), start.AddMilliseconds(100)));
        Assert.True(turn.AudioArrived(new SpeechAudio(new short[24_000], null, 48_000), start.AddMilliseconds(300)));
        Assert.True(turn.AudioArrived(new SpeechAudio([], "Hello.", 0), start.AddMilliseconds(400)));
        turn.ServerTiming(new SpeechServerTiming(120));
        turn.ServerTiming(new SpeechServerTiming(999));

        var metrics = turn.Metrics(24_000);
        Assert.Equal(TimeSpan.FromMilliseconds(300), metrics.FirstTextToFirstAudio);
        Assert.Equal(120, metrics.ServerTimeToFirstAudioMs);
        Assert.Equal(48_010, metrics.AudioBytes);
        Assert.Equal(TimeSpan.FromSeconds(1), metrics.AudioDuration);
    }
}

using VoiceAgent.Pipeline;

namespace VoiceAgent.Core.Tests.Pipeline;

public sealed class BackoffTests
{
    private static readonly TimeSpan Ms200 = TimeSpan.FromMilliseconds(200);

    [Fact]
    public void Each_wait_doubles_the_one_before()
    {
        var backoff = new Backoff(Ms200);
        Assert.Equal([200, 400, 800, 1600], Enumerable.Range(1, 4).Select(a => backoff.Delay(a).TotalMilliseconds));
    }

    [Fact]
    public void No_wait_is_longer_than_the_cap_however_many_attempts()
    {
        var backoff = new Backoff(Ms200, TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromMilliseconds(800), backoff.Delay(3));
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Delay(4));
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Delay(200));
        Assert.Equal(TimeSpan.MaxValue, new Backoff(Ms200).Delay(400));
    }

    [Fact]
    public void A_longer_wait_the_server_asks_for_is_kept_within_the_cap()
    {
        var backoff = new Backoff(Ms200, TimeSpan.FromSeconds(5));
        Assert.Equal(TimeSpan.FromSeconds(2), backoff.Delay(1, TimeSpan.FromSeconds(2)));
        Assert.Equal(Ms200, backoff.Delay(1, TimeSpan.FromMilliseconds(50)));
        Assert.Equal(TimeSpan.FromSeconds(5), backoff.Delay(1, TimeSpan.FromMinutes(1)));
        Assert.Equal(Ms200, backoff.Delay(1, null));
    }

    [Fact]
    public void There_is_no_attempt_zero() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Backoff(Ms200).Delay(0));
}

using VoiceAgent.Dsp;

namespace VoiceAgent.Core.Tests.Audio;

public class Pcm16Tests
{
    [Theory]
    [InlineData(0.4f, 0)]
    [InlineData(1.5f, 2)]
    [InlineData(-2.5f, -2)]
    [InlineData(40_000f, short.MaxValue)]
    [InlineData(-40_000f, short.MinValue)]
    public void A_scaled_sample_is_rounded_and_clipped(float scaled, short expected)
    {
        Assert.Equal(expected, Pcm16.FromScaled(scaled));
    }

    [Fact]
    public void Scaled_samples_fill_the_destination_in_order()
    {
        var destination = new short[4];

        Pcm16.FromScaled([1.2f, -7.8f, 99_999f], destination);

        Assert.Equal([1, -8, short.MaxValue, 0], destination);
    }
}

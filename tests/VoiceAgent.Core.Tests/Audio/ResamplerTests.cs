using VoiceAgent.Dsp;
using VoiceAgent.TestSupport;

namespace VoiceAgent.Core.Tests.Audio;

public class ResamplerTests
{
    [Theory]
    [InlineData(22050, 24000)]
    [InlineData(24000, 16000)]
    [InlineData(16000, 48000)]
    [InlineData(44100, 16000)]
    public void A_tone_keeps_its_frequency_and_level(int from, int to)
    {
        var input = Signals.Sine(1000, from, 1.0);
        var output = Resampler.Convert(input, from, to);

        Assert.InRange(output.Length, to - 2, to + 2);
        var middle = output.AsSpan(to / 4, to / 2); // away from the filter's edges
        Assert.InRange(Signals.AmplitudeAt(middle, 1000, to), 0.47, 0.53);
        Assert.True(Signals.AmplitudeAt(middle, 1300, to) < 0.01);
    }

    [Fact]
    public void Downsampling_removes_what_the_new_rate_cannot_hold()
    {
        var input = Signals.Sine(10_000, 24000, 1.0); // above the 8 kHz Nyquist frequency of 16 kHz
        var output = Resampler.Convert(input, 24000, 16000);
        // Aliasing would fold 10 kHz down to 6 kHz at nearly full level.
        Assert.True(Signals.Rms(output.AsSpan(4000, 8000)) < 0.005, $"rms {Signals.Rms(output)}");
    }

    [Fact]
    public void Output_does_not_depend_on_how_the_input_is_chunked()
    {
        var input = Signals.Sine(440, 22050, 0.5);
        var whole = Resampler.Convert(input, 22050, 24000);

        var streaming = new Resampler(22050, 24000);
        var pieces = new List<short>();
        var random = new Random(7);
        for (var offset = 0; offset < input.Length;)
        {
            var length = Math.Min(random.Next(1, 700), input.Length - offset);
            pieces.AddRange(streaming.Process(input.AsSpan(offset, length)));
            offset += length;
        }
        pieces.AddRange(streaming.Flush());

        Assert.Equal(whole, pieces.ToArray());
    }

    [Fact]
    public void Same_rate_is_a_copy()
    {
        var input = Signals.Sine(440, 16000, 0.1);
        Assert.Equal(input, Resampler.Convert(input, 16000, 16000));
    }
}

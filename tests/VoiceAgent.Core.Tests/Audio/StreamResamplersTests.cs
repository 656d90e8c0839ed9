using VoiceAgent.Dsp;
using VoiceAgent.TestSupport;

namespace VoiceAgent.Core.Tests.Audio;

public class StreamResamplersTests
{
    [Fact]
    public void A_stream_in_chunks_comes_out_as_if_resampled_whole()
    {
        var input = Signals.Sine(440, 24000, 0.5);
        var resamplers = new StreamResamplers<int>(16000);

        var output = resamplers.Process(1, 24000, input.AsSpan(0, 5000))
            .Concat(resamplers.Process(1, 24000, input.AsSpan(5000)))
            .Concat(resamplers.Finish(1))
            .ToArray();

        Assert.Equal(Resampler.Convert(input, 24000, 16000), output);
    }

    [Fact]
    public void Streams_do_not_share_a_filter()
    {
        var input = Signals.Sine(440, 24000, 0.5);
        var resamplers = new StreamResamplers<string>(16000);

        resamplers.Process("other", 24000, input.AsSpan(0, 3000));
        var output = resamplers.Process("one", 24000, input).Concat(resamplers.Finish("one")).ToArray();

        Assert.Equal(Resampler.Convert(input, 24000, 16000), output);
    }

    [Fact]
    public void Audio_already_at_the_output_rate_is_copied()
    {
        var resamplers = new StreamResamplers<int>(16000);
        short[] input = [1, 2, 3];

        var output = resamplers.Process(1, 16000, input);

        Assert.Equal(input, output);
        Assert.NotSame(input, output);
        Assert.Empty(resamplers.Finish(1));
    }

    [Fact]
    public void A_forgotten_stream_leaves_no_tail()
    {
        var resamplers = new StreamResamplers<int>(16000);
        resamplers.Process(1, 24000, Signals.Sine(440, 24000, 0.1));
        resamplers.Process(2, 24000, Signals.Sine(440, 24000, 0.1));

        resamplers.Forget(stream => stream <= 1);

        Assert.Empty(resamplers.Finish(1));
        Assert.NotEmpty(resamplers.Finish(2));
    }
}

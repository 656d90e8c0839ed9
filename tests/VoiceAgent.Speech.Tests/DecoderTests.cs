using VoiceAgent.Audio;
using VoiceAgent.Speech.Decoding;
using VoiceAgent.TestSupport;
using Xunit;

namespace VoiceAgent.Speech.Tests;

public sealed class DecoderTests
{
    [Fact]
    public void Linear16_carries_a_split_sample_into_the_next_frame()
    {
        short[] samples = [1, -2, 300, -32768, 32767];
        var bytes = Pcm16.ToBytes(samples);
        var decoder = new Linear16Decoder(16_000);

        short[] decoded = [.. decoder.Decode(bytes.AsSpan(0, 3)), .. decoder.Decode(bytes.AsSpan(3, 1)), .. decoder.Decode(bytes.AsSpan(4))];

        Assert.Equal(samples, decoded);
    }

    [Fact]
    public void A_dangling_byte_at_a_segment_end_does_not_shift_the_next_segment()
    {
        var decoder = new Linear16Decoder(16_000);
        decoder.Decode([1, 0, 9]);
        decoder.EndSegment();
        Assert.Equal([5], decoder.Decode([5, 0]));
    }

    [Fact]
    public void Mp3_files_back_to_back_in_one_frame_sequence_all_decode()
    {
        var tone = Signals.Sine(440, 24_000, 0.5, 0.4);
        var file = Lame.Encode(tone, 24_000, withId3Tag: true);
        using var decoder = new Mp3SegmentDecoder();

        // Two files, the second starting at the head of a frame with its ID3 tag, no text frame between.
        var first = decoder.Decode(file);
        var second = decoder.Decode(file);
        var rest = decoder.EndSegment();

        Assert.Equal(24_000, decoder.SampleRate);
        var total = first.Length + second.Length + rest.Length;
        Assert.InRange(total, 2 * tone.Length, 2 * (tone.Length + 2 * 1152));
    }

    [Fact]
    public void Bytes_that_are_not_mp3_yield_no_samples_and_no_crash()
    {
        using var decoder = new Mp3SegmentDecoder();
        var noise = new byte[4096];
        new Random(1).NextBytes(noise);
        // mpg123 resyncs over garbage and finds nothing: no samples, no crash.
        Assert.Empty(decoder.Decode(noise));
    }

    [Fact]
    public void Sniffing_switches_to_mp3_when_the_server_ignores_linear16()
    {
        var tone = Signals.Sine(440, 24_000, 0.3, 0.4);
        using var decoder = new FormatSniffingDecoder(new Linear16Decoder(24_000));
        var decoded = decoder.Decode(Lame.Encode(tone, 24_000, withId3Tag: true)).Length + decoder.EndSegment().Length;

        Assert.Equal("mp3", decoder.DetectedFormat);
        Assert.InRange(decoded, tone.Length, tone.Length + 2 * 1152);
    }
}

using NAudio.Wave;
using VoiceAgent.Audio;
using VoiceAgent.Dsp;
using VoiceAgent.Speech.Decoding;
using VoiceAgent.TestSupport;
using VoiceAgent.TtsServer.Audio;
using Xunit;

namespace VoiceAgent.Speech.Tests;

public sealed class DecoderTests
{
    private const int Rate = 16_000;

    /// <summary>1.5 s of real speech (the fixture), the kind of audio TTS sends.</summary>
    private static readonly short[] Speech = WavFile.Read(RepoPaths.Fixture("jfk.wav")).Samples[(Rate / 2)..(2 * Rate)];

    /// <summary>An MP3 file as the live service sends one per sentence: ID3v2 tag, Info frame, audio.</summary>
    private static byte[] Mp3(short[] pcm, int rate = Rate) => [.. Id3Tag.Bytes, .. Mp3Encoder.Encode(pcm, rate, 48)];

    /// <summary>The file cut where a streaming server cuts it: the tag with the Info frame, then one frame each.</summary>
    private static List<byte[]> Frames(byte[] file)
    {
        var pieces = new List<byte[]>();
        var offset = Id3Tag.LengthAt(file);
        var first = true;
        while (offset < file.Length)
        {
            var length = Mp3Frames.FrameLength(file, offset);
            pieces.Add(first ? file[..(offset + length)] : file[offset..(offset + length)]);
            offset += length;
            first = false;
        }
        return pieces;
    }

    private static double SnrDb(short[] reference, short[] test)
    {
        double signal = 0, noise = 0;
        for (var i = 0; i < reference.Length; i++)
        {
            signal += (double)reference[i] * reference[i];
            noise += (double)(reference[i] - test[i]) * (reference[i] - test[i]);
        }
        return 10 * Math.Log10(signal / noise);
    }

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
    public void An_mp3_file_decodes_gaplessly_to_exactly_the_encoded_samples_in_place()
    {
        var (decoded, rate) = Mp3StreamDecoder.DecodeAll(Mp3(Speech));

        Assert.Equal(Rate, rate);
        Assert.Equal(Speech.Length, decoded.Length);
        // In place: off by the decoder's own delay (529 samples) the same speech would not match at all.
        var snr = SnrDb(Speech, decoded);
        Assert.True(snr > 10, $"SNR {snr:0.0} dB against the encoded speech");
        Assert.True(SnrDb(Speech[..^529], decoded[529..]) < 3);
    }

    [Fact]
    public void Mp3_files_back_to_back_in_one_frame_sequence_all_decode()
    {
        var tone = Signals.Sine(440, 24_000, 0.5, 0.4);
        var file = Mp3(tone, 24_000);
        using var decoder = new Mp3SegmentDecoder();

        // Two files, the second starting at the head of a frame with its ID3 tag, no text frame between.
        var first = decoder.Decode(file);
        var second = decoder.Decode(file);
        var rest = decoder.EndSegment();

        Assert.Equal(24_000, decoder.SampleRate);
        Assert.Equal(2 * tone.Length, first.Length + second.Length + rest.Length);
    }

    [Fact]
    public void A_file_that_follows_without_an_id3_tag_starts_at_its_info_frame()
    {
        var file = Mp3Encoder.Encode(Speech, Rate, 48);
        var (decoded, _) = Mp3StreamDecoder.DecodeAll([.. file, .. file]);
        Assert.Equal(2 * Speech.Length, decoded.Length);
    }

    [Fact]
    public void Audio_comes_out_as_frames_arrive_not_at_the_end_of_the_file()
    {
        var frames = Frames(Mp3(Speech));
        var decoder = new Mp3StreamDecoder();
        var outputs = frames.Select(f => decoder.Decode(f).Length).ToList();

        // Piece 0 is the tag and the Info frame; the encoder delay and the decoder's (1105 samples)
        // end inside the second audio frame, which therefore brings the first samples.
        Assert.Equal(0, outputs[0] + outputs[1]);
        Assert.True(outputs[2] > 0);
        Assert.All(outputs.Skip(3).SkipLast(1), n => Assert.Equal(576, n));
        Assert.Equal(Speech.Length, outputs.Sum() + decoder.EndFile().Length);
    }

    [Fact]
    public void Mp3_fed_byte_by_byte_decodes_the_same()
    {
        var file = Mp3(Speech);
        var decoder = new Mp3StreamDecoder();
        var pieces = new List<short>();
        for (var i = 0; i < file.Length; i++) pieces.AddRange(decoder.Decode(file.AsSpan(i, 1)));

        Assert.Equal(Mp3StreamDecoder.DecodeAll(file).Samples, pieces);
    }

    [Fact]
    public void Without_an_info_frame_nothing_is_trimmed()
    {
        var frames = Frames(Mp3(Speech));
        byte[] plain = [.. frames.Skip(1).SelectMany(f => f)]; // a plain CBR stream, as an encoder without the tag writes it
        var (decoded, _) = Mp3StreamDecoder.DecodeAll(plain);
        Assert.Equal((frames.Count - 1) * 576, decoded.Length);
    }

    [Fact]
    public void Bytes_that_are_not_mp3_yield_no_samples_and_no_crash()
    {
        using var decoder = new Mp3SegmentDecoder();
        var noise = new byte[64 * 1024];
        new Random(1).NextBytes(noise);
        Assert.Empty(decoder.Decode(noise));
        Assert.Empty(decoder.EndSegment());
    }

    [Fact]
    public void After_bytes_that_are_not_mp3_the_next_file_is_found()
    {
        var noise = new byte[4096];
        new Random(2).NextBytes(noise);
        var (decoded, _) = Mp3StreamDecoder.DecodeAll([.. noise, .. Mp3(Speech)]);
        Assert.Equal(Speech.Length, decoded.Length);
    }

    [Fact]
    public void Sniffing_switches_to_mp3_when_the_server_ignores_linear16()
    {
        var tone = Signals.Sine(440, 24_000, 0.3, 0.4);
        using var decoder = new FormatSniffingDecoder(new Linear16Decoder(24_000));
        var decoded = decoder.Decode(Mp3(tone, 24_000)).Length + decoder.EndSegment().Length;

        Assert.Equal("mp3", decoder.DetectedFormat);
        Assert.Equal(tone.Length, decoded);
    }

    [Fact]
    public void A_wav_segment_whose_header_arrives_byte_by_byte_decodes_exactly()
    {
        var speech = Speech[..4000];
        var wav = WavFile.Encode(speech, Rate);
        using var decoder = new WavSegmentDecoder();
        var decoded = new List<short>();
        for (var i = 0; i < wav.Length; i++) decoded.AddRange(decoder.Decode(wav.AsSpan(i, 1)));

        Assert.Equal(Rate, decoder.SampleRate);
        Assert.Equal(speech, decoded);
    }

    [Fact]
    public void A_stereo_float_wav_segment_is_mixed_to_mono()
    {
        var tone = Signals.Sine(440, 22_050, 0.1);
        var file = new MemoryStream();
        using (var writer = new WaveFileWriter(file, WaveFormat.CreateIeeeFloatWaveFormat(22_050, 2)))
            foreach (var s in tone) { writer.WriteSample(s / 32768f); writer.WriteSample(s / 32768f); }
        using var decoder = new WavSegmentDecoder();

        Assert.Equal(tone, decoder.Decode(file.ToArray()));
        Assert.Equal(22_050, decoder.SampleRate);
    }

    [Fact]
    public void Audio_that_is_not_wav_when_wav_was_asked_is_one_clear_error()
    {
        using var decoder = new WavSegmentDecoder();
        var error = Assert.Throws<SpeechSynthesisException>(() => decoder.Decode("ID3\u0004 and then some mp3"u8));
        Assert.Equal("the TTS server sent WAV this client cannot play (the audio is not WAV (no RIFF/WAVE header)); use audio-format linear16", error.Message);
    }
}

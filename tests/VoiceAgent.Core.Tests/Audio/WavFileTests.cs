using NAudio.Wave;
using VoiceAgent.Dsp;
using VoiceAgent.TestSupport;

namespace VoiceAgent.Core.Tests.Audio;

public class WavFileTests
{
    [Fact]
    public void Encode_then_parse_round_trips()
    {
        var samples = Signals.Sine(300, 16000, 0.25);
        var parsed = WavFile.Parse(WavFile.Encode(samples, 16000));
        Assert.Equal(16000, parsed.SampleRate);
        Assert.Equal(samples, parsed.Samples);
    }

    [Fact]
    public void The_incremental_writer_leaves_a_valid_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"wav-{Guid.NewGuid():N}.wav");
        try
        {
            using (var writer = new WavWriter(path, 24000))
            {
                writer.Write(new short[] { 1, 2, 3 });
                writer.Write(new short[] { -4, 5 });
            }
            var read = WavFile.Read(path);
            Assert.Equal(new short[] { 1, 2, 3, -4, 5 }, read.Samples);
            Assert.Equal(24000, read.SampleRate);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_speech_fixture_reads_as_16k_mono()
    {
        var audio = WavFile.Read(RepoPaths.Fixture("jfk.wav"));
        Assert.Equal(16000, audio.SampleRate);
        Assert.InRange(audio.Duration.TotalSeconds, 10.5, 11.5);
        Assert.True(Signals.Rms(audio.Samples) > 0.01);
    }

    [Fact]
    public void Not_a_wav_file_is_one_clear_error()
    {
        var error = Assert.Throws<AudioFormatException>(() => WavFile.Parse("hello world, not audio"u8.ToArray(), "notes.txt"));
        Assert.Equal("notes.txt is not a RIFF/WAVE file.", error.Message);
    }

    [Fact]
    public void Stereo_is_mixed_to_mono()
    {
        var stereo = WavFile.Encode(new short[] { 100, 300, -200, -400 }, 8000);
        // Patch the header to 2 channels: the same bytes are now two stereo frames.
        stereo[22] = 2;
        var parsed = WavFile.Parse(stereo);
        Assert.Equal(new short[] { 200, -300 }, parsed.Samples);
    }

    private static byte[] Written(WaveFormat format, Action<WaveFileWriter> write)
    {
        var file = new MemoryStream();
        using (var writer = new WaveFileWriter(file, format)) write(writer);
        return file.ToArray();
    }

    [Fact]
    public void Float_and_24_bit_and_extensible_files_read_as_mono_16_bit()
    {
        var tone = Signals.Sine(440, 22050, 0.2);
        var floats = Written(WaveFormat.CreateIeeeFloatWaveFormat(22050, 2), w =>
        {
            foreach (var s in tone) { w.WriteSample(s / 32768f); w.WriteSample(s / 32768f); }
        });
        var bits24 = Written(new WaveFormatExtensible(22050, 24, 1), w =>
        {
            foreach (var s in tone) w.Write([0, (byte)s, (byte)(s >> 8)], 0, 3);
        });

        foreach (var file in new[] { floats, bits24 })
        {
            var parsed = WavFile.Parse(file);
            Assert.Equal(22050, parsed.SampleRate);
            Assert.Equal(tone, parsed.Samples);
        }
    }

    [Fact]
    public void An_encoding_that_is_not_pcm_is_one_clear_error()
    {
        var mulaw = Written(WaveFormat.CreateMuLawFormat(8000, 1), w => w.Write(new byte[800], 0, 800));
        var error = Assert.Throws<AudioFormatException>(() => WavFile.Parse(mulaw, "call.wav"));
        Assert.StartsWith("call.wav: 8-bit MuLaw, 1 channel(s) audio is not supported", error.Message);
    }

    [Fact]
    public void A_header_left_unfinished_by_a_streaming_writer_still_reads()
    {
        var samples = Signals.Sine(300, 16000, 0.1);
        var wav = WavFile.Encode(samples, 16000);
        // RIFF size 0 and a data size that runs past the end, as written before the length was known.
        wav.AsSpan(4, 4).Clear();
        BitConverter.TryWriteBytes(wav.AsSpan(wav.Length - samples.Length * 2 - 4, 4), int.MaxValue);
        Assert.Equal(samples, WavFile.Parse(wav).Samples);
    }

    [Fact]
    public void The_incremental_writer_keeps_the_header_valid_while_the_file_grows()
    {
        var path = Path.Combine(Path.GetTempPath(), $"wav-{Guid.NewGuid():N}.wav");
        try
        {
            using var writer = new WavWriter(path, 16000);
            writer.Write(new short[] { 7, 8, 9 });
            writer.Flush();
            using var open = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var bytes = new byte[open.Length];
            open.ReadExactly(bytes);
            Assert.Equal(new short[] { 7, 8, 9 }, WavFile.Parse(bytes).Samples);
            Assert.Equal(3, writer.SamplesWritten);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

using VoiceAgent.Audio;
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
}

using System.Runtime.InteropServices;
using VoiceAgent.Speech.Decoding;
using VoiceAgent.TtsServer.Audio;
using VoiceAgent.TtsServer.Native;

namespace VoiceAgent.TtsServer.Tests;

public sealed class Mp3EncoderTests
{
    [Theory]
    [InlineData(8000, 48)]
    [InlineData(11_025, 16)]
    [InlineData(16_000, 48)]
    [InlineData(22_050, 48)]
    [InlineData(24_000, 48)]
    [InlineData(32_000, 32)]
    [InlineData(44_100, 48)]
    [InlineData(48_000, 32)]
    public void Every_file_carries_its_info_frame_so_it_decodes_to_exactly_what_was_encoded(int rate, int kbps)
    {
        var speech = Enumerable.Range(0, rate * 3 / 4).Select(n => (short)(6000 * Math.Sin(n * 2 * Math.PI * 300 / rate) * Math.Sin(n * Math.PI / rate))).ToArray();
        var mp3 = Mp3Encoder.Encode(speech, rate, kbps);

        var (decoded, decodedRate) = Mp3StreamDecoder.DecodeAll(mp3);
        Assert.Equal(rate, decodedRate);
        Assert.Equal(speech.Length, decoded.Length);
    }

    [Theory]
    [InlineData(16_000, 40)]
    [InlineData(22_050, 56)]
    [InlineData(24_000, 64)]
    [InlineData(32_000, 40)]
    [InlineData(44_100, 56)]
    [InlineData(48_000, 64)]
    public void The_bitrate_is_raised_only_where_frames_cannot_hold_the_info_frame(int rate, int expected)
    {
        Assert.Equal(expected, Mp3Encoder.InfoFrameBitrate(rate));
        Assert.Equal(Math.Max(48, expected), new Mp3Encoder(rate, 48).BitrateKbps);
    }

    [Fact]
    public void Native_libraries_are_looked_for_under_each_systems_names()
    {
        Assert.Equal(["libespeak-ng.so.1"], NativeLibraries.Candidates("libespeak-ng.so.1", OSPlatform.Linux));
        Assert.Equal(["libespeak-ng.dll", "espeak-ng.dll", Path.Combine("C:/Program Files", "eSpeak NG", "libespeak-ng.dll")],
            NativeLibraries.Candidates("libespeak-ng.so.1", OSPlatform.Windows, "C:/Program Files"));
        Assert.Equal(["libmp3lame.dll", "mp3lame.dll"], NativeLibraries.Candidates("libmp3lame.so.0", OSPlatform.Windows, "C:/Program Files"));
        Assert.Equal(["libmp3lame.dylib", "/opt/homebrew/lib/libmp3lame.dylib", "/usr/local/lib/libmp3lame.dylib"],
            NativeLibraries.Candidates("libmp3lame.so.0", OSPlatform.OSX));
    }
}

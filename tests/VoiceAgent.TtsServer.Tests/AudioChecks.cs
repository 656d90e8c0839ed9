using VoiceAgent.Dsp;
using VoiceAgent.Speech.Decoding;

namespace VoiceAgent.TtsServer.Tests;

public static class AudioChecks
{
    /// <summary>Asserts that PCM is at least <paramref name="minSeconds"/> long and clearly not silent.</summary>
    public static void AssertSpeech(short[] samples, int sampleRate, double minSeconds)
    {
        var seconds = (double)samples.Length / sampleRate;
        Assert.True(seconds >= minSeconds, $"expected at least {minSeconds} s of audio, got {seconds:F2} s");
        var level = Pcm16.RmsDbfs(samples);
        Assert.True(level > -35, $"audio is nearly silent ({level:F1} dBFS)");
    }

    /// <summary>Decodes a concatenation of per-segment MP3 files (each with this server's ID3 tag
    /// and Info frame) as a client does: with the managed, gapless decoder.</summary>
    public static (short[] Samples, int Rate) DecodeSegments(byte[] mp3) => Mp3StreamDecoder.DecodeAll(mp3);
}

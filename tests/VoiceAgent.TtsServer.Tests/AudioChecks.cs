using VoiceAgent.Audio;
using VoiceAgent.TtsServer.Audio;

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

    /// <summary>Splits a concatenation of per-segment MP3 files at this server's ID3 tags and
    /// decodes each with its own decoder.</summary>
    public static (short[] Samples, int Rate) DecodeSegments(byte[] mp3)
    {
        var starts = new List<int>();
        var tag = Id3Tag.Bytes;
        for (var i = 0; i + tag.Length <= mp3.Length; i++)
            if (mp3.AsSpan(i, tag.Length).SequenceEqual(tag)) { starts.Add(i); i += tag.Length - 1; }
        if (starts.Count == 0 || starts[0] != 0) starts.Insert(0, 0);
        starts.Add(mp3.Length);
        var all = new List<short>();
        var rate = 0;
        for (var s = 0; s + 1 < starts.Count; s++)
        {
            var (samples, r) = Mpg123.Decode(mp3[starts[s]..starts[s + 1]]);
            all.AddRange(samples);
            rate = r;
        }
        return (all.ToArray(), rate);
    }
}

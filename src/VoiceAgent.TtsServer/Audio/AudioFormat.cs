namespace VoiceAgent.TtsServer.Audio;

/// <summary>Encodings a session can ask for with <c>audio_format</c>.</summary>
public enum AudioFormat
{
    /// <summary>One standalone MP3 file per segment.</summary>
    Mp3,
    /// <summary>Raw signed 16-bit little-endian mono PCM, no header (<c>pcm</c> is an alias).</summary>
    Linear16,
    /// <summary>One RIFF/WAVE file (16-bit mono) per segment.</summary>
    Wav,
}

public static class AudioFormats
{
    /// <summary>Sample rates LAME can write (MPEG 1, 2 and 2.5 layer III).</summary>
    public static readonly int[] Mp3Rates = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000];

    public const int MinPcmRate = 8000;
    public const int MaxPcmRate = 96000;

    public static bool TryParse(string? value, out AudioFormat format)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "mp3": format = AudioFormat.Mp3; return true;
            case "linear16" or "pcm": format = AudioFormat.Linear16; return true;
            case "wav": format = AudioFormat.Wav; return true;
            default: format = default; return false;
        }
    }

    /// <summary>Null when <paramref name="rate"/> works with <paramref name="format"/>; otherwise why not.</summary>
    public static string? RateProblem(AudioFormat format, int rate) => format switch
    {
        AudioFormat.Mp3 when !Mp3Rates.Contains(rate) =>
            $"sample_rate {rate} is not available for mp3: use one of {string.Join(", ", Mp3Rates)}.",
        _ when rate is < MinPcmRate or > MaxPcmRate =>
            $"sample_rate {rate} is out of range: use {MinPcmRate} to {MaxPcmRate}.",
        _ => null,
    };

    public static string Name(AudioFormat format) => format switch
    {
        AudioFormat.Mp3 => "mp3",
        AudioFormat.Linear16 => "linear16",
        _ => "wav",
    };
}

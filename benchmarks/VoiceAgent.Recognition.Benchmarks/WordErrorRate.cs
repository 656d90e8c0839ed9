namespace VoiceAgent.Recognition.Benchmarks;

internal static class WordErrorRate
{
    public static string[] Words(string text) =>
        text.ToLowerInvariant().Split([' ', ',', '.', '!', '?', ';', ':', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>(substitutions + deletions + insertions) / reference words.</summary>
    public static double Wer(string[] reference, string[] hypothesis)
    {
        var d = new int[reference.Length + 1, hypothesis.Length + 1];
        for (var i = 0; i <= reference.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= hypothesis.Length; j++) d[0, j] = j;
        for (var i = 1; i <= reference.Length; i++)
        for (var j = 1; j <= hypothesis.Length; j++)
            d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (reference[i - 1] == hypothesis[j - 1] ? 0 : 1));
        return d[reference.Length, hypothesis.Length] / (double)reference.Length;
    }

    /// <summary>whisper.cpp's encoder covers 50 positions per second; a shorter window costs less.</summary>
    public static int AudioContextFor(int samples) => Math.Min(1500, (int)Math.Ceiling(samples / 16000.0 * 50) + 64);
}

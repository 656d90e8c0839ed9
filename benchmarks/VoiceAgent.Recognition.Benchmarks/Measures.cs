namespace VoiceAgent.Recognition.Benchmarks;

/// <summary>What the recognition benchmarks measure with: word error rate, the encoder window, timing.</summary>
internal static class Measures
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

    /// <summary>Milliseconds of each of <paramref name="rounds"/> whole transcriptions, after one
    /// to warm up, sorted.</summary>
    public static async Task<List<double>> TimeAsync(Whisper.net.WhisperProcessor processor, float[] audio, int rounds)
    {
        await foreach (var _ in processor.ProcessAsync(audio)) { } // warm-up
        var times = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var timer = System.Diagnostics.Stopwatch.StartNew();
            await foreach (var _ in processor.ProcessAsync(audio)) { }
            times.Add(timer.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return times;
    }
}

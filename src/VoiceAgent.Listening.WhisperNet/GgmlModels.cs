using System.Security.Cryptography;

namespace VoiceAgent.Listening.WhisperNet;

/// <summary>
/// The whisper.cpp ggml models: where they download from, their published SHA-1 (whisper.cpp's
/// models/README.md) and where they are kept (the user cache, beside the VAD model).
/// </summary>
public static class GgmlModels
{
    private const string BaseUrl = "https://huggingface.co/ggerganov/whisper.cpp/resolve/main/";

    private static readonly Dictionary<string, string> Sha1 = new()
    {
        ["tiny"] = "bd577a113a864445d4c299885e0cb97d4ba92b5f",
        ["tiny.en"] = "c78c86eb1a8faa21b369bcd33207cc90d64ae9df",
        ["base"] = "465707469ff3a37a2b9b8d8f89f2f99de7299dac",
        ["base.en"] = "137c40403d78fd54d454da0f9bd998f78703390c",
        ["small"] = "55356645c2b361a969dfd0ef2c5a50d530afd8d5",
        ["small.en"] = "db8a495a91d927739e50b3fc1cc4c6b8f6c2d022",
    };

    public static IEnumerable<string> Names => Sha1.Keys;

    public static string PathFor(string name) => Path.Combine(Vad.VadModelFile.UserCacheFolder(), $"ggml-{name}.bin");

    /// <summary>The verified model file, downloaded first if needed; progress goes to <paramref name="progress"/>.</summary>
    public static async Task<string> EnsureAsync(string name, Action<string>? progress, CancellationToken cancellationToken)
    {
        if (!Sha1.TryGetValue(name, out var expected))
            throw new SpeechRecognitionException($"voice-agent.listening.whisper-model = \"{name}\" is not one of: {string.Join(" | ", Sha1.Keys)}.");
        var path = PathFor(name);
        if (File.Exists(path) && await HashAsync(path, cancellationToken) == expected) return path;

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var partial = path + ".part";
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using (var response = await http.GetAsync(BaseUrl + $"ggml-{name}.bin", HttpCompletionOption.ResponseHeadersRead, cancellationToken))
        {
            if (!response.IsSuccessStatusCode)
                throw new SpeechRecognitionException($"could not download Whisper model {name}: HTTP {(int)response.StatusCode}; download ggml-{name}.bin to {path} yourself.");
            var total = response.Content.Headers.ContentLength;
            await using var source = await response.Content.ReadAsStreamAsync(cancellationToken);
            await using var target = File.Create(partial);
            var buffer = new byte[1 << 16];
            long done = 0;
            var lastPercent = -10;
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                done += read;
                var percent = total is > 0 ? (int)(done * 100 / total.Value) : -1;
                if (percent >= lastPercent + 10)
                {
                    lastPercent = percent;
                    progress?.Invoke($"downloading Whisper model {name}: {percent}% of {total.Value / (1024 * 1024)} MB");
                }
            }
        }
        var actual = await HashAsync(partial, cancellationToken);
        if (actual != expected)
        {
            File.Delete(partial);
            throw new SpeechRecognitionException($"the downloaded Whisper model {name} has SHA-1 {actual}, expected {expected}: not used; try again.");
        }
        File.Move(partial, path, overwrite: true);
        progress?.Invoke($"Whisper model {name} ready ({path})");
        return path;
    }

    private static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        // SHA-1 because that is what whisper.cpp publishes for its models.
        return Convert.ToHexStringLower(await SHA1.HashDataAsync(stream, cancellationToken));
    }
}

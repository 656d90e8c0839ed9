namespace VoiceAgent.TestSupport;

/// <summary>Waiting on what a running assistant writes: conditions, and its session log (JSON lines,
/// read while it is still being written).</summary>
public static class SessionLogFiles
{
    /// <summary>All session logs in <paramref name="folder"/>, as they are now.</summary>
    public static string Read(string folder) => string.Concat(Directory.GetFiles(folder, "*.jsonl").Select(ReadShared));

    public static Task WaitForLog(string folder, string text) => WaitFor(() => Read(folder).Contains(text), text);

    public static async Task WaitFor(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting for {what}.");
            await Task.Delay(20);
        }
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }
}

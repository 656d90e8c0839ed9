namespace VoiceAgent.TestSupport;

/// <summary>Generated Whisper models (random weights, see <see cref="GeneratedWhisperModel"/>),
/// written once per test run into a temporary folder that is deleted when the run ends.</summary>
public static class TestWhisperModels
{
    private static readonly Lazy<string> Folder = new(() =>
    {
        var folder = Directory.CreateTempSubdirectory("voice-agent-whisper-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        return folder;
    });

    private static readonly Lazy<string> TinyModel = new(() => Generate("ggml-generated-tiny.bin", WhisperModelShape.Tiny));

    /// <summary>A 7.5 MB model (64 wide, one layer each): loads in tens of milliseconds.</summary>
    public static string Tiny => TinyModel.Value;

    /// <summary>A scratch folder inside the run's temporary folder.</summary>
    public static string NewFolder(string name) => Directory.CreateDirectory(Path.Combine(Folder.Value, $"{name}-{Guid.NewGuid():N}")).FullName;

    /// <summary>A copy of the tiny model cut to half its length (whisper.cpp: not all tensors loaded).</summary>
    public static string Truncated()
    {
        var path = Path.Combine(NewFolder("truncated"), "ggml-truncated.bin");
        var bytes = File.ReadAllBytes(Tiny);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        return path;
    }

    /// <summary>Bytes that are no model at all (whisper.cpp: bad magic).</summary>
    public static string Corrupt()
    {
        var path = Path.Combine(NewFolder("corrupt"), "ggml-corrupt.bin");
        File.WriteAllBytes(path, Enumerable.Range(0, 4096).Select(i => (byte)(i * 31 + 7)).ToArray());
        return path;
    }

    private static string Generate(string name, WhisperModelShape shape)
    {
        var path = Path.Combine(Folder.Value, name);
        GeneratedWhisperModel.Write(path, shape);
        return path;
    }
}

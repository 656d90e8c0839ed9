using System.Diagnostics;

namespace VoiceAgent.TtsServer.Tests;

/// <summary>The documented client flows, run by Python's websockets library (Debian
/// python3-websockets, for /usr/bin/python3) against a server whose key is the docs' placeholder.
/// The MP3 they save is decoded as a client does, segment after segment.</summary>
public sealed class PythonClientTests : IAsyncLifetime
{
    private const string Python = "/usr/bin/python3";
    private readonly TtsServerHost _host = new(new TtsServerOptions { ApiKey = "YOUR_API_KEY" });
    private Uri _uri = null!;

    public async ValueTask InitializeAsync() => _uri = await _host.StartAsync();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Basic_streaming()
    {
        var (output, mp3) = await RunAsync("basic_streaming.py");
        Assert.DoesNotContain("Error", output);
        var (samples, rate) = AudioChecks.DecodeSegments(mp3);
        Assert.Equal(24000, rate);
        AudioChecks.AssertSpeech(samples, rate, minSeconds: 1.2);
    }

    [Fact]
    public async Task Barge_in()
    {
        var (output, mp3) = await RunAsync("barge_in.py");
        Assert.Equal(["spoken: Welcome to the demo.", "spoken: Actually, let me start over."], Lines(output));
        var (samples, rate) = AudioChecks.DecodeSegments(mp3);
        AudioChecks.AssertSpeech(samples, rate, minSeconds: 1.5);
    }

    [Fact]
    public async Task Llm_token_streaming()
    {
        var (output, mp3) = await RunAsync("llm_tokens.py");
        Assert.Equal(
            ["spoken: Answer", "spoken: The capital of France is Paris.", "spoken: It has about 2.1 million people.", "spoken: See this page for more."],
            Lines(output));
        var (samples, rate) = AudioChecks.DecodeSegments(mp3);
        AudioChecks.AssertSpeech(samples, rate, minSeconds: 3);
    }

    private static List<string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private async Task<(string Output, byte[] Mp3)> RunAsync(string script)
    {
        Assert.True(File.Exists(Python), "Python tests need /usr/bin/python3 with websockets: apt-get install python3-websockets");
        var folder = Directory.CreateTempSubdirectory("tts-python-");
        try
        {
            var start = new ProcessStartInfo(Python, [Path.Combine(AppContext.BaseDirectory, "python", script)])
            {
                WorkingDirectory = folder.FullName,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["TTS_SERVER_URL"] = _uri.ToString();
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            var errors = await stderr;
            Assert.False(errors.Contains("No module named 'websockets'"), "Python tests need the websockets library: apt-get install python3-websockets");
            Assert.True(process.ExitCode == 0, $"{script} failed: {errors}");
            return (await stdout, await File.ReadAllBytesAsync(Path.Combine(folder.FullName, "output.mp3")));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}

using System.Diagnostics;
using VoiceAgent.Audio.Tests;
using VoiceAgent.Audio;
using VoiceAgent.Dsp;
using VoiceAgent.TestSupport;

namespace VoiceAgent.Recognition.Tests;

/// <summary><c>voice-agent transcribe --mic</c> on the private PulseAudio server: speech written
/// into the pipe source (the microphone) is cut by the VAD and each utterance printed.</summary>
public class MicrophoneTranscribeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Each_utterance_from_the_microphone_is_printed_with_its_timing()
    {
        PulseRequirement.Require();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in new[]
                 {
                     CliRunner.ProgramPath(), "transcribe", "--mic", "--seconds", "5", "--model", TestWhisperModels.Tiny,
                     "-D", "listening.whisper.threads=1", "-D", "audio.input=pulse", "-D", "audio.input-device=vmic",
                     "-D", $"listening.vad-model={RepoPaths.Model("silero_vad_v5.onnx")}",
                 })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var listening = new TaskCompletionSource();
        var errors = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (errors) errors.AppendLine(e.Data);
            if (e.Data.StartsWith("Listening on", StringComparison.Ordinal)) listening.TrySetResult();
        };
        process.BeginErrorReadLine();
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            await listening.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

            // "And so my fellow Americans" (0.3–2.2 s), then silence, in real time like a sound card,
            // until the command has had its five seconds of capture and ends.
            var speech = WavFile.Read(RepoPaths.Fixture("jfk.wav")).Samples[..(int)(2.5 * 16000)];
            await WriteMicrophone([.. speech, .. new short[16000 * 8]], process);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        var printed = await stdout;
        output.WriteLine(printed + errors);

        Assert.Equal(0, process.ExitCode);
        var line = Assert.Single(printed.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        // The utterance starts where the speech does (minus the padding); the generated model's
        // words are noise, so the line is checked for what was measured.
        Assert.Matches(@"^\[ +\d+\.\d s\] .+ \(2\.\d s of speech, recognized in \d+\.\d\d s · Whisper generated-tiny\)$", line.TrimEnd());
    }

    /// <summary>The pipe source is not clocked: 20 ms at a time, in real time, while the command
    /// runs (once nobody records, the server stops reading and writes would block).</summary>
    private static async Task WriteMicrophone(short[] samples, Process listener)
    {
        await using var fifo = new FileStream(PulseRequirement.MicFifo, FileMode.Open, FileAccess.Write);
        var bytes = Pcm16.ToBytes(samples);
        var clock = Stopwatch.StartNew();
        for (var offset = 0; offset < bytes.Length && !listener.HasExited; offset += 640)
        {
            await fifo.WriteAsync(bytes.AsMemory(offset, Math.Min(640, bytes.Length - offset)));
            await fifo.FlushAsync();
            var due = TimeSpan.FromMilliseconds(20.0 * (offset / 640 + 1)) - clock.Elapsed;
            if (due > TimeSpan.Zero) await Task.Delay(due);
        }
    }
}

using System.Globalization;
using Akka.Configuration;
using VoiceAgent.Configuration;

using VoiceAgent.Speech;

namespace VoiceAgent.Composition;

/// <summary>The options of <c>voice-agent say</c>; null means "as configured".</summary>
public sealed record SayRequest(
    string Text,
    string? OutFile = null,
    string? TtsUrl = null,
    string? Voice = null,
    string? Format = null,
    int? SampleRate = null);

/// <summary>
/// <c>voice-agent say "TEXT"</c> without the command-line library: turns the options into config
/// overrides, speaks the text through the TtsActor, writes the WAV, and reports one line.
/// </summary>
public static class SayCli
{
    /// <summary>The options as <c>-D</c> overrides, to layer after the user's own, so the
    /// configuration checks apply to them too.</summary>
    public static IReadOnlyList<string> Overrides(SayRequest request)
    {
        // One utterance: a socket warmed for a next turn would never be used.
        var overrides = new List<string> { "tts.prewarm=false" };
        if (!string.IsNullOrWhiteSpace(request.TtsUrl))
        {
            overrides.Add("tts.endpoint=url");
            overrides.Add($"tts.url={request.TtsUrl}");
        }
        if (!string.IsNullOrWhiteSpace(request.Voice)) overrides.Add($"tts.voice={request.Voice}");
        if (!string.IsNullOrWhiteSpace(request.Format)) overrides.Add($"tts.audio-format={request.Format}");
        if (request.SampleRate is { } rate) overrides.Add($"tts.sample-rate={rate.ToString(CultureInfo.InvariantCulture)}");
        return overrides;
    }

    /// <summary>Runs <c>say</c>. Returns the exit code (0 ok, 1 synthesis failed, 2 bad settings)
    /// and the audio, which a host may also play.</summary>
    /// <param name="config">The layered configuration, <see cref="Overrides"/> included.</param>
    /// <param name="embeddedServer">Starts (or finds) the embedded server when the settings ask for it.</param>
    public static async Task<(int ExitCode, SayResult? Result)> RunAsync(
        SayRequest request,
        Config config,
        Func<CancellationToken, ValueTask<Uri>>? embeddedServer,
        TextWriter output,
        TextWriter error,
        CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(request.Text))
        {
            await error.WriteLineAsync("voice-agent say: nothing to say: give the text, e.g. voice-agent say \"Hello there.\"");
            return (2, null);
        }
        if (!string.IsNullOrWhiteSpace(request.OutFile) && OutFileProblem(request.OutFile) is { } outProblem)
        {
            await error.WriteLineAsync($"voice-agent say: --out {request.OutFile} {outProblem}");
            return (2, null);
        }
        ISpeechSynthesizer synthesizer;
        try
        {
            var settings = TtsSettings.FromConfig(config);
            var embeddedKey = config.GetString("voice-agent.tts-server.api-key", "") ?? "";
            synthesizer = SpeechSynthesizerFactory.Create(settings, embeddedServer, embeddedKey);
        }
        catch (InvalidConfigurationException e)
        {
            await error.WriteLineAsync($"voice-agent say: {e.Message}");
            return (2, null);
        }

        await using (synthesizer)
        {
            var result = await SayRunner.RunAsync(synthesizer, request.Text, ct);
            if (result.Error is not null)
            {
                await error.WriteLineAsync($"voice-agent say: {result.Error}");
                return (1, result);
            }
            if (!string.IsNullOrWhiteSpace(request.OutFile))
            {
                try
                {
                    SayRunner.WriteWav(result, request.OutFile);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    await error.WriteLineAsync($"voice-agent say: cannot write {request.OutFile}: {e.Message}");
                    return (1, result);
                }
            }
            await output.WriteLineAsync(Summary(result, synthesizer.Description, request.OutFile));
            return (0, result);
        }
    }

    /// <summary>Why the WAV cannot be written to <paramref name="path"/>, checked before any
    /// synthesis so a typo does not cost a whole utterance; null when it looks writable.</summary>
    public static string? OutFileProblem(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            return $"is a folder: give a file name, e.g. {Path.Combine(path, "say.wav")}";
        var folder = Path.GetDirectoryName(full);
        if (folder is not null && !Directory.Exists(folder))
            return $"is in a folder that does not exist ({folder})";
        return null;
    }

    private static string Summary(SayResult result, string voice, string? outFile)
    {
        var parts = new List<string> { $"{result.Duration.TotalSeconds:0.00} s of audio at {result.SampleRate} Hz from {voice}" };
        if (result.Metrics?.FirstTextToFirstAudio is { } first) parts.Add($"first audio {first.TotalMilliseconds:0} ms after the first text");
        if (result.Metrics?.ServerTimeToFirstAudioMs is { } server) parts.Add($"server {server} ms");
        var line = string.Join("; ", parts);
        return string.IsNullOrWhiteSpace(outFile) ? line : $"{line} -> {outFile}";
    }
}

using System.Diagnostics;

namespace VoiceAgent.TestSupport;

public sealed record CliResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>Runs the built voice-agent program as a separate process, as a user would.</summary>
public static class CliRunner
{
    /// <summary>The program in its own build output (src/VoiceAgent/bin/CONFIG/TFM), as users run it:
    /// a test folder holds the test's dependency set, not the app's.</summary>
    public static string ProgramPath()
    {
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfm.Parent!.Name;
        var path = Path.Combine(RepoPaths.Root, "src", "VoiceAgent", "bin", configuration, tfm.Name, "voice-agent.dll");
        if (!File.Exists(path)) throw new FileNotFoundException($"Build the app first: {path} is missing.");
        return path;
    }

    public static async Task<CliResult> Run(IEnumerable<string> arguments, IDictionary<string, string>? environment = null, string? standardInput = null, TimeSpan? timeout = null)
    {
        var program = ProgramPath();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(program);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (standardInput is not null) await process.StandardInput.WriteAsync(standardInput);
        process.StandardInput.Close();

        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"voice-agent {string.Join(' ', arguments)} did not exit. Output: {await output} {await error}");
        }
        return new CliResult(process.ExitCode, await output, await error);
    }
}

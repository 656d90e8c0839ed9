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

    /// <summary>How the program is started, redirected, from <paramref name="workingDirectory"/>
    /// (default: the temp folder).</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        // A process inherits ignored signals, and .NET keeps SIGINT ignored when it starts that way
        // (as a shell's background job should). Test hosts can inherit it: MSBuild worker nodes
        // started by a background `dotnet build` ignore SIGINT and are reused by `dotnet test`. So
        // on Linux the program starts through env(1) with SIGINT back at its default, as a user's
        // terminal would start it.
        var linux = OperatingSystem.IsLinux() && File.Exists("/usr/bin/env");
        var start = new ProcessStartInfo(linux ? "/usr/bin/env" : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        if (linux)
        {
            start.ArgumentList.Add("--default-signal=INT");
            start.ArgumentList.Add("dotnet");
        }
        start.ArgumentList.Add(ProgramPath());
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        return start;
    }

    public static async Task<CliResult> Run(IEnumerable<string> arguments, IDictionary<string, string>? environment = null, string? standardInput = null, TimeSpan? timeout = null)
    {
        var start = StartInfo(arguments, environment);
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

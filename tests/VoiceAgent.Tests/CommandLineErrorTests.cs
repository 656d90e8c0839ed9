using System.Net.WebSockets;
using VoiceAgent.TestSupport;

namespace VoiceAgent.Tests;

/// <summary>
/// One rule for every mistake in how the program was started (README, "Exit codes"): one line on
/// standard error that names the problem, exit code 2, no usage dump, no stack trace.
/// </summary>
public sealed class CommandLineErrorTests
{
    private static void AssertOneLine(CliResult result, string expected)
    {
        Assert.Equal(2, result.ExitCode);
        var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line, got:\n{result.StandardError}");
        Assert.Contains(expected, lines[0]);
        Assert.DoesNotContain("   at ", result.StandardError + result.StandardOutput);
    }

    [Theory]
    [InlineData(new[] { "--bogus" }, "--bogus")]
    [InlineData(new[] { "say" }, "See 'voice-agent say --help'")]
    [InlineData(new[] { "tts-server", "--port", "abc" }, "abc")]
    [InlineData(new[] { "say", "Hi.", "--format", "ogg" }, "ogg")]
    public async Task Argument_errors_are_one_line_and_exit_2(string[] arguments, string expected) =>
        AssertOneLine(await CliRunner.Run(arguments), expected);

    [Theory]
    [InlineData(new[] { "config", "-D", "tts.connect-timeout=-1s" }, "'voice-agent.tts.connect-timeout' in -D overrides: expected a duration from 1ms to 5m")]
    [InlineData(new[] { "config", "-D", "tts-server.inactivity-timeout=-5s" }, "expected a duration from 1s to 1h")]
    [InlineData(new[] { "config", "-D", "tts.sample-rate=1e12" }, "expected a whole number from 8000 to 48000")]
    [InlineData(new[] { "config", "-D", "tts.voice=${undefined.var}" }, "-D values are taken as written")]
    [InlineData(new[] { "say", "Hi.", "--tts-url", "ws://127.0.0.1:99999/x" }, "has port '99999', which is not a port number")]
    [InlineData(new[] { "tts-server", "--host", "locahost" }, "tts-server.host 'locahost' is not an IP address")]
    [InlineData(new[] { "tts-server", "--host", "0.0.0.0", "--port", "0" }, "no API key is set")]
    [InlineData(new[] { "tts-server", "--port", "0", "-D", "tts-server.log-level=loud" }, "Bad value 'loud' for 'voice-agent.tts-server.log-level' in -D overrides: expected one of: debug, info, warning, error, none")]
    public async Task Bad_settings_are_one_line_and_exit_2(string[] arguments, string expected) =>
        AssertOneLine(await CliRunner.Run(arguments), expected);

    [Fact]
    public async Task Say_out_naming_a_folder_says_it_is_a_folder()
    {
        var folder = Directory.CreateTempSubdirectory("say-out-").FullName;
        try
        {
            AssertOneLine(await CliRunner.Run(["say", "Hi.", "--out", folder, "-D", "tts.endpoint=embedded"]), "is a folder: give a file name");
        }
        finally
        {
            Directory.Delete(folder);
        }
    }

    [Fact]
    public async Task A_scenario_with_a_null_section_names_the_field()
    {
        var file = Path.Combine(Path.GetTempPath(), $"scenario-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """{"reply":"Hello.","user":null}""", TestContext.Current.CancellationToken);
        try
        {
            AssertOneLine(await CliRunner.Run(["simulate", file]), "\"user\" must be a list of sounds");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_server_on_every_interface_without_a_key_must_be_allowed_and_then_warns_once()
    {
        await using var server = CliProcess.Start(["tts-server", "--host", "0.0.0.0", "--port", "0", "--allow-remote-without-key"]);
        await server.WaitForAsync("listening on");
        server.Signal(CliProcess.SIGTERM);
        var result = await server.WaitForExitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(0, result.ExitCode);
        Assert.Single(result.StandardError.Split('\n'), l => l.Contains("warning: serving every network interface"));
    }

    [Fact]
    public async Task A_server_key_on_the_command_line_works_and_the_server_says_ps_shows_it()
    {
        await using var server = CliProcess.Start(["tts-server", "--port", "0", "--api-key", "cli-key-31337"]);
        Assert.Contains("Bearer key required", await server.WaitForAsync("auth:"));
        server.Signal(CliProcess.SIGTERM);
        var result = await server.WaitForExitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(0, result.ExitCode);
        Assert.Single(result.StandardError.Split('\n'), l => l.Contains("--api-key is visible to other users (ps); VOICE_AGENT_TTS_SERVER_API_KEY keeps it private"));
        Assert.DoesNotContain("cli-key-31337", result.StandardOutput + result.StandardError);
    }

    [Fact]
    public async Task The_server_key_can_come_from_the_environment_instead_of_the_command_line()
    {
        await using var server = CliProcess.Start(["tts-server", "--port", "0"], new Dictionary<string, string> { ["VOICE_AGENT_TTS_SERVER_API_KEY"] = "env-key" });
        var output = await server.WaitForAsync("listening on");
        Assert.Contains("Bearer key required", await server.WaitForAsync("auth:"));
        var url = System.Text.RegularExpressions.Regex.Match(output, @"ws://\S+").Value;

        using var anonymous = new ClientWebSocket();
        anonymous.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => anonymous.ConnectAsync(new Uri(url), CancellationToken.None));
        Assert.Equal(401, (int)anonymous.HttpStatusCode);
        await server.WaitForAsync("HTTP 401"); // refusals are logged

        server.Signal(CliProcess.SIGINT);
        var result = await server.WaitForExitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("env-key", result.StandardOutput + result.StandardError);
    }
}

using VoiceAgent.TestSupport;

namespace VoiceAgent.Tests;

/// <summary>
/// Where the program sends TTS keys, run as a user runs it (keys from real environment
/// variables): TELNYX_API_KEY never goes to a --tts-url, that URL gets VOICE_AGENT_TTS_API_KEY,
/// and no key is sent over ws:// to another machine.
/// </summary>
public sealed class TtsKeyCommandLineTests
{
    private const string TelnyxKey = "TELNYX-SECRET-4711";
    private const string UrlKey = "URL-KEY-0815";

    [Fact]
    public async Task Say_sends_a_tts_url_its_own_key_and_never_the_telnyx_key()
    {
        await using var capture = new UpgradeCaptureServer();

        var telnyxKeyOnly = await CliRunner.Run(["say", "Hello there.", "--tts-url", capture.Url],
            new Dictionary<string, string> { ["TELNYX_API_KEY"] = TelnyxKey, ["VOICE_AGENT_TTS_API_KEY"] = "" });
        var ownKey = await CliRunner.Run(["say", "Hello there.", "--tts-url", capture.Url],
            new Dictionary<string, string> { ["TELNYX_API_KEY"] = TelnyxKey, ["VOICE_AGENT_TTS_API_KEY"] = UrlKey });

        // The capture server answers 401: the first run sent no key, the second its own.
        Assert.Equal([null, "Bearer " + UrlKey], capture.AuthorizationHeaders);
        Assert.DoesNotContain(capture.Requests, r => r.Contains(TelnyxKey));

        Assert.Equal(1, telnyxKeyOnly.ExitCode);
        Assert.Contains("requires an API key (HTTP 401): set VOICE_AGENT_TTS_API_KEY", telnyxKeyOnly.StandardError);
        Assert.Equal(1, ownKey.ExitCode);
        Assert.Contains("rejected", ownKey.StandardError);
        Assert.Contains("check VOICE_AGENT_TTS_API_KEY", ownKey.StandardError);
        foreach (var run in new[] { telnyxKeyOnly, ownKey })
        {
            var printed = run.StandardOutput + run.StandardError;
            Assert.DoesNotContain(TelnyxKey, printed);
            Assert.DoesNotContain(UrlKey, printed);
            Assert.DoesNotContain("   at ", printed);
        }
    }

    // 192.0.2.1 is a documentation address: the refusal comes before any connection.
    [Theory]
    [InlineData("say", new[] { "say", "Hello there.", "--tts-url", "ws://192.0.2.1:8765/v2/text-to-speech/speech" })]
    [InlineData("the assistant", new[] { "-D", "audio.input=none", "-D", "audio.output=none", "-D", "tts.endpoint=url", "-D", "tts.url=ws://192.0.2.1:8765/v2/text-to-speech/speech" })]
    public async Task Say_and_the_assistant_refuse_to_send_a_key_over_ws_to_another_machine(string command, string[] arguments)
    {
        var result = await CliRunner.Run(arguments, new Dictionary<string, string> { ["VOICE_AGENT_TTS_API_KEY"] = UrlKey });

        Assert.True(result.ExitCode == 2, $"{command}: exit {result.ExitCode}");
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("would travel unencrypted over ws:// to 192.0.2.1", line);
        Assert.DoesNotContain(UrlKey, result.StandardOutput + result.StandardError);
    }
}

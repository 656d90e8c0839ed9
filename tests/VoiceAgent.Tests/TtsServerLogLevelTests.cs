using System.Net;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using VoiceAgent.TestSupport;

namespace VoiceAgent.Tests;

/// <summary>The standalone server logs at tts-server.log-level: at <c>warning</c> a session
/// opening and closing is not logged, a limit hit is.</summary>
public sealed partial class TtsServerLogLevelTests
{
    [GeneratedRegex(@"ws://127\.0\.0\.1:\d+/v2/text-to-speech/speech")]
    private static partial Regex ServerUrl();

    [Fact]
    public async Task At_warning_level_sessions_are_not_logged_but_a_limit_hit_is()
    {
        await using var server = CliProcess.Start(["tts-server", "--port", "0", "-D", "tts-server.log-level=warning", "-D", "tts-server.max-sessions=1"]);
        var url = new Uri(ServerUrl().Match(await server.WaitForAsync("listening on")).Value + "?voice=espeak.en-us&audio_format=linear16");

        using var first = new ClientWebSocket();
        await first.ConnectAsync(url, CancellationToken.None);
        using var second = new ClientWebSocket();
        second.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => second.ConnectAsync(url, CancellationToken.None));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.HttpStatusCode);
        await server.WaitForAsync("refusing new ones with HTTP 503");

        server.Signal(CliProcess.SIGTERM);
        var result = await server.WaitForExitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("opened from", result.StandardError);
        Assert.DoesNotContain("closed:", result.StandardError);
    }
}

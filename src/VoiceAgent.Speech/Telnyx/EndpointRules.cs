using System.Net;
using System.Text.RegularExpressions;

namespace VoiceAgent.Speech.Telnyx;

/// <summary>
/// Which TTS URLs are usable and where a key may go. The Telnyx key goes only to Telnyx's own
/// hosts over wss://; a server at tts.url gets its own key; and no key ever crosses the network
/// unencrypted: over ws:// a key goes only to this machine.
/// </summary>
public static partial class EndpointRules
{
    public const string TelnyxKeyVariable = "TELNYX_API_KEY";
    public const string UrlKeyVariable = "VOICE_AGENT_TTS_API_KEY";

    [GeneratedRegex("""^(?<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?<host>\[[^\]]*\]|[^/:?#]*)(:(?<port>[^/?#]*))?""")]
    private static partial Regex UrlStart();

    /// <summary>Why <paramref name="url"/> is not a usable WebSocket URL, or null when it is.</summary>
    public static string? UrlProblem(string url)
    {
        if (string.IsNullOrWhiteSpace(url)) return "is empty: give a ws:// or wss:// URL, e.g. ws://127.0.0.1:8765/v2/text-to-speech/speech";
        var start = UrlStart().Match(url.Trim());
        if (!start.Success) return "is not a URL: write it like ws://127.0.0.1:8765/v2/text-to-speech/speech";
        var scheme = start.Groups["scheme"].Value.ToLowerInvariant();
        if (scheme is not ("ws" or "wss")) return $"uses {scheme}://: a TTS WebSocket URL starts with ws:// or wss://";
        if (start.Groups["host"].Value.Trim('[', ']').Length == 0) return "has no host name";
        var port = start.Groups["port"];
        if (port.Success && (!int.TryParse(port.Value, out var number) || number is < 1 or > 65535))
            return $"has port '{port.Value}', which is not a port number (1 to 65535)";
        return Uri.TryCreate(url.Trim(), UriKind.Absolute, out _) ? null : "is not a valid URL";
    }

    /// <summary>This machine: localhost or a loopback address (a key may travel there over ws://).</summary>
    public static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    /// <summary>Telnyx's own service: wss:// to telnyx.com or one of its subdomains.</summary>
    public static bool IsTelnyx(Uri uri) =>
        uri.Scheme == "wss" && (uri.Host.Equals("telnyx.com", StringComparison.OrdinalIgnoreCase)
                                || uri.Host.EndsWith(".telnyx.com", StringComparison.OrdinalIgnoreCase));

    /// <summary>Why a key must not be sent to <paramref name="uri"/>, or null.</summary>
    public static string? KeyProblem(Uri uri) =>
        uri.Scheme == "ws" && !IsLoopback(uri)
            ? $"an API key would travel unencrypted over ws:// to {uri.Host}: use wss://, or a server on this machine"
            : null;
}

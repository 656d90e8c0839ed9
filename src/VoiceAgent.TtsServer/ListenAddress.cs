using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace VoiceAgent.TtsServer;

/// <summary>
/// The address the server binds, checked strictly: an IPv4 address in dotted form, an IPv6
/// address, or "localhost". Anything else ("locahost", "256.1.1.1", "127.0.0.1:80", "*") is an
/// error, never a silent bind to every interface. A non-loopback address without an API key is
/// refused unless the operator allowed it explicitly, and then it comes with a warning.
/// </summary>
public static partial class ListenAddress
{
    [GeneratedRegex("""^\d{1,3}(\.\d{1,3}){3}$""")]
    private static partial Regex DottedQuad();

    /// <summary>The address for <paramref name="host"/>; <see cref="ArgumentException"/> naming the setting when it is none.</summary>
    public static IPAddress Parse(string host)
    {
        var text = host.Trim();
        if (text.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return IPAddress.Loopback;
        if (text.StartsWith('[') && text.EndsWith(']')) text = text[1..^1];
        if (IPAddress.TryParse(text, out var address)
            && (address.AddressFamily == AddressFamily.InterNetworkV6 ? text.Contains(':') : DottedQuad().IsMatch(text)))
            return address;
        throw new ArgumentException(
            $"tts-server.host '{host}' is not an IP address: use 127.0.0.1 (this machine only), 0.0.0.0 (every interface), :: (every IPv6 interface) or one of this machine's addresses.");
    }

    /// <summary>Checks who could reach the server. Returns a one-line warning when it serves other
    /// machines without a key (allowed explicitly); throws when that was not allowed.</summary>
    public static string? CheckExposure(IPAddress address, TtsServerOptions options)
    {
        if (IPAddress.IsLoopback(address) || options.ApiKey.Length > 0) return null;
        var where = address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ? "every network interface" : address.ToString();
        if (!options.AllowRemoteWithoutKey)
            throw new ArgumentException(
                $"tts-server.host {options.Host} serves {where}, but no API key is set: set VOICE_AGENT_TTS_SERVER_API_KEY (or tts-server.api-key), bind 127.0.0.1, or pass --allow-remote-without-key to serve anyone who can reach the port.");
        return $"warning: serving {where} on port {options.Port} without an API key: anyone who can reach this port can use the server.";
    }

    /// <summary>A bind failure as a clear message: a bad setting (<see cref="ArgumentException"/>)
    /// when the address is not this machine's, otherwise <see cref="IOException"/>.</summary>
    public static Exception DescribeBindFailure(Exception failure, TtsServerOptions options)
    {
        var socket = failure as SocketException ?? failure.InnerException as SocketException;
        var endpoint = $"{options.Host}:{options.Port}";
        return socket?.SocketErrorCode switch
        {
            SocketError.AddressNotAvailable =>
                new ArgumentException($"cannot listen on {endpoint}: {options.Host} is not an address of this machine (tts-server.host; 0.0.0.0 listens on all of them)."),
            SocketError.AddressAlreadyInUse =>
                new IOException($"cannot listen on {endpoint}: the port is already in use (is another server running? choose another with --port)."),
            SocketError.AccessDenied =>
                new IOException($"cannot listen on {endpoint}: permission denied (ports below 1024 need privileges; choose another with --port)."),
            _ => new IOException($"cannot listen on {endpoint}: {(socket ?? failure).Message}"),
        };
    }
}

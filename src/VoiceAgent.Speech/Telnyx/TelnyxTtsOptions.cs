using System.Globalization;
using System.Text;

namespace VoiceAgent.Speech.Telnyx;

/// <summary>Where the Telnyx client connects and with which key; the voice, format, rates and
/// reconnect policy are the <see cref="TtsSettings"/> (built in code where there is no HOCON).
/// The endpoint is resolved per connection so that a host can start its embedded server after
/// the client is built.</summary>
public sealed record TelnyxTtsOptions
{
    public required Func<CancellationToken, ValueTask<Uri>> Endpoint { get; init; }

    /// <summary>The key for this endpoint (the settings carry one per kind of endpoint).</summary>
    public string ApiKey { get; init; } = "";

    /// <summary>Where the key comes from, named in messages about it (never the key itself).</summary>
    public string ApiKeySource { get; init; } = "the API key setting";

    public TtsSettings Settings { get; init; } = new();

    public static TelnyxTtsOptions FromSettings(TtsSettings settings, Func<CancellationToken, ValueTask<Uri>> endpoint, string apiKey) =>
        new() { Endpoint = endpoint, ApiKey = apiKey, Settings = settings };

    public static TelnyxTtsOptions ForUrl(Uri url, TtsSettings? settings = null) =>
        new() { Endpoint = _ => ValueTask.FromResult(url), Settings = settings ?? new TtsSettings() };

    /// <summary>The socket URL: the endpoint plus the query parameters, which are fixed for the
    /// life of a socket. Parameters already in the endpoint URL are kept.</summary>
    public Uri BuildUri(Uri endpoint)
    {
        var query = new StringBuilder(endpoint.Query.TrimStart('?'));
        void Add(string name, string value)
        {
            if (query.Length > 0) query.Append('&');
            query.Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }
        if (!string.IsNullOrWhiteSpace(Settings.Voice)) Add("voice", Settings.Voice);
        Add("audio_format", Settings.AudioFormat);
        Add("sample_rate", Settings.SampleRate.ToString(CultureInfo.InvariantCulture));
        if (!string.IsNullOrWhiteSpace(Settings.Language)) Add("language", Settings.Language);
        Add("disable_cache", Settings.DisableCache ? "true" : "false");
        Add("inactivity_timeout", Settings.InactivityTimeoutSeconds.ToString(CultureInfo.InvariantCulture));
        return new UriBuilder(endpoint) { Query = query.ToString() }.Uri;
    }

    public override string ToString() =>
        $"TelnyxTtsOptions {{ Voice = {Settings.Voice}, AudioFormat = {Settings.AudioFormat}, SampleRate = {Settings.SampleRate}, ApiKey = {(ApiKey.Length > 0 ? "(set)" : "(not set)")} }}";
}

using System.Globalization;
using System.Text;

namespace VoiceAgent.Speech.Telnyx;

/// <summary>Everything the Telnyx client needs. The endpoint is resolved per connection so that a
/// host can start its embedded server after the client is built.</summary>
public sealed record TelnyxTtsOptions
{
    public required Func<CancellationToken, ValueTask<Uri>> Endpoint { get; init; }
    public string ApiKey { get; init; } = "";
    /// <summary>Where the key comes from, named in messages about it (never the key itself).</summary>
    public string ApiKeySource { get; init; } = "the API key setting";
    public string Voice { get; init; } = "Telnyx.NaturalHD.astra";
    public string AudioFormat { get; init; } = "linear16";
    public int SampleRate { get; init; } = 24_000;
    public string Language { get; init; } = "";
    public bool DisableCache { get; init; }
    public int InactivityTimeoutSeconds { get; init; } = 20;
    public double VoiceSpeed { get; init; } = 1.0;
    public bool Prewarm { get; init; } = true;
    public int ReconnectAttempts { get; init; } = 3;
    public TimeSpan ReconnectBackoff { get; init; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public int OutputSampleRate { get; init; } = 24_000;

    public static TelnyxTtsOptions FromSettings(TtsSettings settings, Func<CancellationToken, ValueTask<Uri>> endpoint, string apiKey) => new()
    {
        Endpoint = endpoint,
        ApiKey = apiKey,
        Voice = settings.Voice,
        AudioFormat = settings.AudioFormat,
        SampleRate = settings.SampleRate,
        Language = settings.Language,
        DisableCache = settings.DisableCache,
        InactivityTimeoutSeconds = settings.InactivityTimeoutSeconds,
        VoiceSpeed = settings.VoiceSpeed,
        Prewarm = settings.Prewarm,
        ReconnectAttempts = settings.ReconnectAttempts,
        ReconnectBackoff = settings.ReconnectBackoff,
        ConnectTimeout = settings.ConnectTimeout,
        OutputSampleRate = settings.OutputSampleRate,
    };

    public static TelnyxTtsOptions ForUrl(Uri url) => new() { Endpoint = _ => ValueTask.FromResult(url) };

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
        if (!string.IsNullOrWhiteSpace(Voice)) Add("voice", Voice);
        Add("audio_format", AudioFormat);
        Add("sample_rate", SampleRate.ToString(CultureInfo.InvariantCulture));
        if (!string.IsNullOrWhiteSpace(Language)) Add("language", Language);
        Add("disable_cache", DisableCache ? "true" : "false");
        Add("inactivity_timeout", InactivityTimeoutSeconds.ToString(CultureInfo.InvariantCulture));
        return new UriBuilder(endpoint) { Query = query.ToString() }.Uri;
    }

    public override string ToString() =>
        $"TelnyxTtsOptions {{ Voice = {Voice}, AudioFormat = {AudioFormat}, SampleRate = {SampleRate}, ApiKey = {(ApiKey.Length > 0 ? "(set)" : "(not set)")} }}";
}

using Akka.Configuration;
using VoiceAgent.Configuration;
using VoiceAgent.Speech.Telnyx;

namespace VoiceAgent.Speech;

/// <summary>Where speech comes from (<c>voice-agent.tts.endpoint</c>).</summary>
public enum TtsEndpointKind
{
    /// <summary>Telnyx when an API key is set, else the embedded server.</summary>
    Auto,
    /// <summary>The in-process Telnyx-compatible server (espeak-ng) that the host starts.</summary>
    Embedded,
    /// <summary>Telnyx's cloud, with a Bearer key.</summary>
    Telnyx,
    /// <summary>Any compatible server at <c>tts.url</c>.</summary>
    Url,
    /// <summary>No voice: replies are shown as text only.</summary>
    None,
}

/// <summary>How a barge-in stops synthesis (<c>voice-agent.barge-in.policy</c>).</summary>
public enum BargeInPolicy
{
    /// <summary>Send <c>{"force":true}</c>, then close the turn's socket.</summary>
    Force,
    /// <summary>Close the socket at once (for servers without force).</summary>
    Reconnect,
}

/// <summary>The <c>voice-agent.tts</c> settings, plus the playback rate and barge-in policy the
/// TtsActor needs. <see cref="ToString"/> never shows the API key.</summary>
public sealed record TtsSettings
{
    public TtsEndpointKind Endpoint { get; init; } = TtsEndpointKind.Auto;
    public string Url { get; init; } = "";
    public string TelnyxUrl { get; init; } = "wss://api.telnyx.com/v2/text-to-speech/speech";
    /// <summary>The Telnyx key (TELNYX_API_KEY): only ever sent to Telnyx over wss://.</summary>
    public string ApiKey { get; init; } = "";
    /// <summary>The key for the server at <see cref="Url"/> (VOICE_AGENT_TTS_API_KEY).</summary>
    public string UrlApiKey { get; init; } = "";
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
    public BargeInPolicy BargeInPolicy { get; init; } = BargeInPolicy.Force;

    public static readonly string[] AudioFormats = ["linear16", "mp3", "wav"];

    /// <summary>Reads <c>voice-agent.tts</c>, <c>voice-agent.audio.output-sample-rate</c> and
    /// <c>voice-agent.barge-in.policy</c> from the root config.</summary>
    public static TtsSettings FromConfig(Config root)
    {
        var tts = root.GetConfig("voice-agent.tts") ?? Config.Empty;
        var defaults = new TtsSettings();
        var settings = new TtsSettings
        {
            Endpoint = ParseEnum<TtsEndpointKind>(tts.GetString("endpoint", "auto"), "voice-agent.tts.endpoint"),
            Url = tts.GetString("url", ""),
            TelnyxUrl = tts.GetString("telnyx-url", defaults.TelnyxUrl),
            ApiKey = tts.GetString("api-key", "") ?? "",
            UrlApiKey = tts.GetString("url-api-key", "") ?? "",
            Voice = tts.GetString("voice", defaults.Voice),
            AudioFormat = tts.GetString("audio-format", defaults.AudioFormat).ToLowerInvariant(),
            SampleRate = tts.GetInt("sample-rate", defaults.SampleRate),
            Language = tts.GetString("language", ""),
            DisableCache = tts.GetBoolean("disable-cache", false),
            InactivityTimeoutSeconds = tts.GetInt("inactivity-timeout", defaults.InactivityTimeoutSeconds),
            VoiceSpeed = tts.GetDouble("voice-speed", 1.0),
            Prewarm = tts.GetBoolean("prewarm", true),
            ReconnectAttempts = tts.GetInt("reconnect-attempts", defaults.ReconnectAttempts),
            ReconnectBackoff = tts.GetTimeSpan("reconnect-backoff", defaults.ReconnectBackoff),
            ConnectTimeout = tts.GetTimeSpan("connect-timeout", defaults.ConnectTimeout),
            OutputSampleRate = root.GetInt("voice-agent.audio.output-sample-rate", defaults.OutputSampleRate),
            BargeInPolicy = ParseEnum<BargeInPolicy>(root.GetString("voice-agent.barge-in.policy", "force"), "voice-agent.barge-in.policy"),
        };
        settings.Validate();
        return settings;
    }

    /// <summary>Refuses values that cannot work, with one line naming the key.</summary>
    public void Validate()
    {
        if (!AudioFormats.Contains(AudioFormat))
            throw new InvalidConfigurationException($"voice-agent.tts.audio-format = {AudioFormat} is not supported: use one of {string.Join(", ", AudioFormats)}.");
        if (SampleRate is < 8000 or > 48000)
            throw new InvalidConfigurationException($"voice-agent.tts.sample-rate = {SampleRate} is out of range: use 8000 to 48000.");
        if (OutputSampleRate is < 8000 or > 48000)
            throw new InvalidConfigurationException($"voice-agent.audio.output-sample-rate = {OutputSampleRate} is out of range: use 8000 to 48000.");
        if (ReconnectAttempts < 0)
            throw new InvalidConfigurationException("voice-agent.tts.reconnect-attempts must be 0 or more.");
        if (Endpoint == TtsEndpointKind.Url)
        {
            if (EndpointRules.UrlProblem(Url) is { } problem)
                throw new InvalidConfigurationException($"voice-agent.tts.url \"{Url}\" {problem}.");
            if (UrlApiKey.Length > 0 && EndpointRules.KeyProblem(new Uri(Url)) is { } keyProblem)
                throw new InvalidConfigurationException($"voice-agent.tts.url-api-key ({EndpointRules.UrlKeyVariable}) is set, but {keyProblem}.");
        }
        if (EffectiveEndpoint == TtsEndpointKind.Telnyx)
        {
            if (EndpointRules.UrlProblem(TelnyxUrl) is { } problem)
                throw new InvalidConfigurationException($"voice-agent.tts.telnyx-url \"{TelnyxUrl}\" {problem}.");
            if (!EndpointRules.IsTelnyx(new Uri(TelnyxUrl)))
                throw new InvalidConfigurationException(
                    $"voice-agent.tts.telnyx-url \"{TelnyxUrl}\" is not Telnyx's service over wss://, and {EndpointRules.TelnyxKeyVariable} goes nowhere else: " +
                    $"for another server set tts.endpoint = url and tts.url (its key from {EndpointRules.UrlKeyVariable}).");
        }
    }

    /// <summary>What <see cref="TtsEndpointKind.Auto"/> means here: telnyx with a key, else embedded.</summary>
    public TtsEndpointKind EffectiveEndpoint => Endpoint switch
    {
        TtsEndpointKind.Auto => string.IsNullOrWhiteSpace(ApiKey) ? TtsEndpointKind.Embedded : TtsEndpointKind.Telnyx,
        var other => other,
    };

    public override string ToString() =>
        $"TtsSettings {{ Endpoint = {Endpoint}, Url = {Url}, TelnyxUrl = {TelnyxUrl}, ApiKey = {(ApiKey.Length > 0 ? "(set)" : "(not set)")}, UrlApiKey = {(UrlApiKey.Length > 0 ? "(set)" : "(not set)")}, " +
        $"Voice = {Voice}, AudioFormat = {AudioFormat}, SampleRate = {SampleRate}, OutputSampleRate = {OutputSampleRate}, " +
        $"Prewarm = {Prewarm}, BargeInPolicy = {BargeInPolicy} }}";


    private static T ParseEnum<T>(string? value, string key) where T : struct, Enum
    {
        if (Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)) return parsed;
        var names = string.Join(" | ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()));
        throw new InvalidConfigurationException($"{key} = {value} is not valid: use one of {names}.");
    }
}

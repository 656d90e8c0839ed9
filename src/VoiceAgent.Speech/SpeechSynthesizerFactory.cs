using VoiceAgent.Speech.Telnyx;
using VoiceAgent.Configuration;

namespace VoiceAgent.Speech;

/// <summary>Builds the engine that <c>voice-agent.tts.endpoint</c> asks for.</summary>
public static class SpeechSynthesizerFactory
{
    public const string MissingKey = "TELNYX_API_KEY is not set: export it or use --profile offline";

    /// <param name="settings">The TTS settings.</param>
    /// <param name="embeddedServer">For <c>embedded</c>: resolves the embedded server's ws:// URL
    /// when the first socket opens (so the host may start the server after building the actor).</param>
    /// <param name="embeddedApiKey">Bearer key the embedded server requires, if any.</param>
    public static ISpeechSynthesizer Create(
        TtsSettings settings,
        Func<CancellationToken, ValueTask<Uri>>? embeddedServer = null,
        string embeddedApiKey = "")
    {
        switch (settings.EffectiveEndpoint)
        {
            case TtsEndpointKind.None:
                return new TextOnlySynthesizer(settings.OutputSampleRate);

            case TtsEndpointKind.Telnyx:
                if (string.IsNullOrWhiteSpace(settings.ApiKey)) throw new InvalidConfigurationException(MissingKey);
                var telnyx = new Uri(settings.TelnyxUrl); // checked by TtsSettings: Telnyx's host, wss://
                return new TelnyxSpeechSynthesizer(
                    TelnyxTtsOptions.FromSettings(settings, _ => ValueTask.FromResult(telnyx), settings.ApiKey) with { ApiKeySource = EndpointRules.TelnyxKeyVariable },
                    $"Telnyx TTS ({settings.Voice}, {settings.AudioFormat})");

            case TtsEndpointKind.Url:
                // Its own key, never the Telnyx one.
                var url = new Uri(settings.Url);
                return new TelnyxSpeechSynthesizer(
                    TelnyxTtsOptions.FromSettings(settings, _ => ValueTask.FromResult(url), settings.UrlApiKey) with { ApiKeySource = $"{EndpointRules.UrlKeyVariable} (tts.url-api-key)" },
                    $"TTS server at {url.Scheme}://{url.Authority} ({settings.Voice}, {settings.AudioFormat})");

            default:
                if (embeddedServer is null)
                    throw new InvalidConfigurationException("voice-agent.tts.endpoint = embedded, but this host has no embedded TTS server: use tts.endpoint = url, telnyx or none.");
                return new TelnyxSpeechSynthesizer(
                    TelnyxTtsOptions.FromSettings(settings, embeddedServer, embeddedApiKey) with { ApiKeySource = "tts-server.api-key (VOICE_AGENT_TTS_SERVER_API_KEY)" },
                    $"embedded TTS server ({settings.Voice}, {settings.AudioFormat})");
        }
    }
}

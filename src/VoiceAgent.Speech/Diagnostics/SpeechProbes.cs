using VoiceAgent.Speech.Decoding;
using VoiceAgent.Speech.Telnyx;

namespace VoiceAgent.Speech.Diagnostics;

/// <summary>What <c>voice-agent doctor</c> asks of the speech client, without speaking.</summary>
public static class SpeechProbes
{
    /// <summary>Decodes complete MP3 files to mono samples (the client's own decoder).</summary>
    public static short[] DecodeMp3(ReadOnlySpan<byte> mp3) => Mp3StreamDecoder.DecodeAll(mp3).Samples;

    /// <summary>Opens a TTS socket to <paramref name="endpoint"/> as a turn would (key, voice,
    /// format, handshake) and closes it without sending text: null when it opened, otherwise one
    /// line saying why not (never the key).</summary>
    public static async Task<string?> ConnectAsync(Uri endpoint, TtsSettings settings, CancellationToken cancellationToken)
    {
        var options = TelnyxTtsOptions.FromSettings(settings, _ => ValueTask.FromResult(endpoint), settings.ApiKey);
        try
        {
            var connection = await TelnyxConnection.OpenAsync(options, cancellationToken);
            await connection.DisposeAsync();
            return null;
        }
        catch (SpeechSynthesisException e)
        {
            return e.Message;
        }
    }
}

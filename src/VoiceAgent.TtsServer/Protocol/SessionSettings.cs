using System.Globalization;
using Microsoft.AspNetCore.Http;
using VoiceAgent.TtsServer.Audio;
using VoiceAgent.TtsServer.Synthesis;
using VoiceAgent.TtsServer.Voices;

namespace VoiceAgent.TtsServer.Protocol;

/// <summary>What the query string fixes for the life of a socket.</summary>
public sealed record SessionSettings(EspeakVoice Voice, AudioSpec Audio, bool DisableCache, TimeSpan InactivityTimeout)
{
    public const int DefaultSampleRate = 24000;
    public static readonly TimeSpan MinInactivity = TimeSpan.FromSeconds(1);

    /// <summary>Reads the Telnyx query parameters. Unknown parameters are ignored, like the live
    /// service's undocumented ones. Returns null with an HTTP status and a message when a value is bad.</summary>
    public static SessionSettings? FromQuery(IQueryCollection query, VoiceCatalog voices, TtsServerOptions options, out int status, out string problem)
    {
        status = 400;
        // A parameter given twice is ambiguous (voice=a&voice=b): refused, never merged.
        if (query.FirstOrDefault(p => p.Value.Count > 1) is { Key: { } twice })
        {
            problem = $"{twice} is given {query[twice].Count} times: give it once.";
            return null;
        }
        string? One(string name) => query.TryGetValue(name, out var v) ? v.ToString() : null;

        var voiceId = One("voice");
        if (voiceId is null && One("voice_id") is { Length: > 0 } separateVoice)
        {
            // provider / model_id / voice_id, used only when voice is absent.
            var provider = One("provider") is { Length: > 0 } p ? p : "telnyx";
            voiceId = One("model_id") is { Length: > 0 } model ? $"{provider}.{model}.{separateVoice}" : $"{provider}.{separateVoice}";
        }
        var lookup = voices.Resolve(voiceId, One("language"));
        if (lookup.Voice is null)
        {
            status = lookup.Status;
            problem = lookup.Problem;
            return null;
        }

        var formatText = One("audio_format") ?? "mp3";
        if (!AudioFormats.TryParse(formatText, out var format))
        {
            problem = $"audio_format '{formatText}' is not supported here: use mp3, linear16 (pcm) or wav.";
            return null;
        }

        if (format == AudioFormat.Mp3 && Mp3Encoder.Unavailable is { } mp3Problem)
        {
            problem = mp3Problem;
            return null;
        }

        var rate = DefaultSampleRate;
        if (One("sample_rate") is { } rateText && !int.TryParse(rateText, NumberStyles.None, CultureInfo.InvariantCulture, out rate))
        {
            problem = $"sample_rate '{rateText}' is not a whole number of Hz, e.g. 24000.";
            return null;
        }
        if (AudioFormats.RateProblem(format, rate) is { } rateProblem)
        {
            problem = rateProblem;
            return null;
        }

        var disableCache = false;
        if (One("disable_cache") is { } cacheText && !TryBool(cacheText, out disableCache))
        {
            problem = $"disable_cache '{cacheText}' must be true or false.";
            return null;
        }

        var inactivity = options.InactivityTimeout;
        if (One("inactivity_timeout") is { } timeoutText)
        {
            var max = Math.Floor(options.MaxInactivityTimeout.TotalSeconds);
            if (!int.TryParse(timeoutText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                || seconds < MinInactivity.TotalSeconds || seconds > max)
            {
                problem = $"inactivity_timeout '{timeoutText}' must be whole seconds from {MinInactivity.TotalSeconds} to {max} (this server's tts-server.max-inactivity-timeout).";
                return null;
            }
            inactivity = TimeSpan.FromSeconds(seconds);
        }

        problem = "";
        status = 200;
        return new SessionSettings(lookup.Voice, new AudioSpec(format, rate, options.Mp3BitrateKbps, options.Mp3Id3Tag), disableCache, inactivity);
    }

    private static bool TryBool(string text, out bool value)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "true" or "1": value = true; return true;
            case "false" or "0": value = false; return true;
            default: value = false; return false;
        }
    }
}

using Akka.Configuration;
using VoiceAgent.TtsServer;

namespace VoiceAgent.Speech;

/// <summary>Reads the TTS server's settings from the <c>voice-agent.tts-server</c> section, so
/// that the server library itself needs no HOCON.</summary>
public static class TtsServerConfig
{
    public const string Section = "voice-agent.tts-server";

    public static TtsServerOptions FromConfig(Config config)
    {
        var section = config.GetConfig(Section)
            ?? throw new InvalidOperationException($"The configuration has no {Section} section.");
        var defaults = new TtsServerOptions();
        return new TtsServerOptions
        {
            Host = section.GetString("host", defaults.Host),
            Port = section.GetInt("port", defaults.Port),
            ApiKey = section.GetString("api-key", defaults.ApiKey) ?? "",
            Provider = section.GetString("provider", defaults.Provider),
            DefaultVoice = section.GetString("default-voice", defaults.DefaultVoice),
            VoiceAliases = section.HasPath("voice-aliases") ? section.GetStringList("voice-aliases").ToList() : defaults.VoiceAliases,
            Concatenated = section.GetBoolean("concatenated", defaults.Concatenated),
            Cache = section.GetBoolean("cache", defaults.Cache),
            CacheBytes = section.GetLong("cache-megabytes", defaults.CacheBytes / (1024 * 1024)) * 1024 * 1024,
            MaxBufferChars = section.GetInt("max-buffer-chars", defaults.MaxBufferChars),
            MaxFrameBytes = section.GetInt("max-frame-bytes", defaults.MaxFrameBytes),
            Mp3BitrateKbps = section.GetInt("mp3-bitrate", defaults.Mp3BitrateKbps),
            Mp3Id3Tag = section.GetBoolean("mp3-id3-tag", defaults.Mp3Id3Tag),
            ChunkBytes = section.GetInt("chunk-bytes", defaults.ChunkBytes),
            InactivityTimeout = section.GetTimeSpan("inactivity-timeout", defaults.InactivityTimeout),
            MaxInactivityTimeout = section.GetTimeSpan("max-inactivity-timeout", defaults.MaxInactivityTimeout),
            MaxSessions = section.GetInt("max-sessions", defaults.MaxSessions),
            SendTimeout = section.GetTimeSpan("send-timeout", defaults.SendTimeout),
            MaxSegmentChars = section.GetInt("max-segment-chars", defaults.MaxSegmentChars),
            MaxSegmentAudio = section.GetTimeSpan("max-segment-audio", defaults.MaxSegmentAudio),
            MaxQueuedChars = section.GetInt("max-queued-chars", defaults.MaxQueuedChars),
            SynthesisProcesses = section.GetInt("synthesis-processes", defaults.SynthesisProcesses),
            LogLevel = section.GetString("log-level", defaults.LogLevel),
            AllowRemoteWithoutKey = section.GetBoolean("allow-remote-without-key", defaults.AllowRemoteWithoutKey),
        };
    }
}

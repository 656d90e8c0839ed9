namespace VoiceAgent.TtsServer;

/// <summary>Settings of the local TTS server. The server reads no configuration files itself:
/// its host builds these (from HOCON, the <c>voice-agent.tts-server</c> section, in the app).</summary>
public sealed record TtsServerOptions
{
    /// <summary>Address to bind; loopback unless asked otherwise.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Port to bind; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Bearer key clients must present; empty accepts any client.</summary>
    public string ApiKey { get; init; } = "";

    /// <summary>Provider name of the local voices (voice=PROVIDER.VOICE).</summary>
    public string Provider { get; init; } = "espeak";

    /// <summary>espeak-ng voice used when a request names none, and for aliases to "default".</summary>
    public string DefaultVoice { get; init; } = "en-us";

    /// <summary>"pattern = voice" lines: cloud voice ids answered by local voices.</summary>
    public IReadOnlyList<string> VoiceAliases { get; init; } =
        ["Telnyx.NaturalHD.* = default", "Telnyx.Natural.* = default", "Telnyx.KokoroTTS.* = default"];

    /// <summary>One frame per segment with audio and text (Polly/Azure style) instead of streamed chunks.</summary>
    public bool Concatenated { get; init; }

    public bool Cache { get; init; } = true;

    public long CacheBytes { get; init; } = 64L * 1024 * 1024;

    public int MaxBufferChars { get; init; } = 20000;

    public int MaxFrameBytes { get; init; } = 65536;

    public int Mp3BitrateKbps { get; init; } = 48;

    public bool Mp3Id3Tag { get; init; } = true;

    /// <summary>Audio bytes (before base64) per streamed frame.</summary>
    public int ChunkBytes { get; init; } = 8192;

    /// <summary>Inactivity timeout when the client sends no inactivity_timeout.</summary>
    public TimeSpan InactivityTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Largest inactivity_timeout a client may ask for.</summary>
    public TimeSpan MaxInactivityTimeout { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary>Sessions served at once; more are refused with HTTP 503.</summary>
    public int MaxSessions { get; init; } = 128;

    /// <summary>Time a client may take to accept one frame before its session is closed.</summary>
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Longer sentences are cut into pieces of at most this many characters.</summary>
    public int MaxSegmentChars { get; init; } = 300;

    /// <summary>Most audio one piece may produce.</summary>
    public TimeSpan MaxSegmentAudio { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Text a session may have waiting for synthesis before the server stops reading its socket.</summary>
    public int MaxQueuedChars { get; init; } = 60000;

    /// <summary>Speech synthesis processes, each with its own espeak-ng engine; 0 is one per core
    /// (for a server that serves one session, <see cref="ForEmbedded"/>: in-process).</summary>
    public int SynthesisProcesses { get; init; }

    /// <summary>The server serves the one app it is embedded in: with <see cref="SynthesisProcesses"/>
    /// at 0 it synthesizes in-process, since one session uses one engine at a time and worker
    /// processes would only cost start-up time and memory.</summary>
    public bool SingleSession { get; init; }

    /// <summary>A synthesis process silent this long while speaking is stuck and is replaced (not a
    /// setting: far beyond any healthy pause; tests shorten it).</summary>
    internal TimeSpan SynthesisStallTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Lowest level logged: debug, info, warning, error or none.</summary>
    public string LogLevel { get; init; } = "info";

    /// <summary>Serve a non-loopback address without an api-key.</summary>
    public bool AllowRemoteWithoutKey { get; init; }

    /// <summary>Never shows the key.</summary>
    public override string ToString() =>
        $"TtsServerOptions {{ Host = {Host}, Port = {Port}, ApiKey = {(ApiKey.Length > 0 ? "(set)" : "(not set)")}, MaxSessions = {MaxSessions}, DefaultVoice = {DefaultVoice} }}";

    /// <summary>The same settings for a server embedded in the app: loopback, a free port.</summary>
    public TtsServerOptions ForEmbedded() => this with { Host = "127.0.0.1", Port = 0, SingleSession = true };
}

using Akka.Configuration;
using VoiceAgent.Configuration;

namespace VoiceAgent.Audio.Hosting;

/// <summary>The device family for both directions (<c>voice-agent.audio.backend</c>).</summary>
public enum AudioBackendKind
{
    /// <summary>NAudio on Windows, PulseAudio elsewhere.</summary>
    Auto,
    /// <summary>PulseAudio, or PipeWire's PulseAudio service.</summary>
    Pulse,
    /// <summary>Windows devices: WASAPI, with WinMM as fallback.</summary>
    NAudio,
    /// <summary>Files: input-file in, output-file out.</summary>
    Wav,
    /// <summary>No devices: text mode, replies paced as if spoken.</summary>
    None,
}

/// <summary>Where microphone audio comes from (<c>voice-agent.audio.input</c>).</summary>
public enum AudioInputKind
{
    /// <summary>What <c>audio.backend</c> says.</summary>
    Auto,
    None,
    Pulse,
    Wav,
    /// <summary>Windows devices (WASAPI, else WinMM).</summary>
    NAudio,
}

/// <summary>Where replies are played (<c>voice-agent.audio.output</c>).</summary>
public enum AudioOutputKind
{
    /// <summary>What <c>audio.backend</c> says.</summary>
    Auto,
    /// <summary>Nothing is heard, but audio is paced in real time.</summary>
    None,
    Pulse,
    Wav,
    /// <summary>Windows devices (WASAPI, else WinMM).</summary>
    NAudio,
}

/// <summary>The <c>voice-agent.audio</c> settings.</summary>
public sealed record AudioSettings
{
    public AudioBackendKind Backend { get; init; } = AudioBackendKind.Auto;
    public AudioInputKind Input { get; init; } = AudioInputKind.Auto;
    public AudioOutputKind Output { get; init; } = AudioOutputKind.Auto;
    public string InputDevice { get; init; } = "";
    public string OutputDevice { get; init; } = "";
    public string InputFile { get; init; } = "";
    public bool InputRealTime { get; init; } = true;
    public string OutputFile { get; init; } = "voice-agent-output.wav";
    public int OutputSampleRate { get; init; } = 24_000;
    public TimeSpan PlaybackPiece { get; init; } = TimeSpan.FromMilliseconds(20);
    public TimeSpan PlaybackBuffer { get; init; } = TimeSpan.FromMilliseconds(60);

    public static AudioSettings FromConfig(Config root)
    {
        var audio = root.GetConfig("voice-agent.audio") ?? Config.Empty;
        var defaults = new AudioSettings();
        var settings = new AudioSettings
        {
            Backend = ParseEnum<AudioBackendKind>(audio.GetString("backend", "auto"), "voice-agent.audio.backend"),
            Input = ParseEnum<AudioInputKind>(audio.GetString("input", "auto"), "voice-agent.audio.input"),
            Output = ParseEnum<AudioOutputKind>(audio.GetString("output", "auto"), "voice-agent.audio.output"),
            InputDevice = audio.GetString("input-device", "") ?? "",
            OutputDevice = audio.GetString("output-device", "") ?? "",
            InputFile = audio.GetString("input-file", "") ?? "",
            InputRealTime = audio.GetBoolean("input-realtime", true),
            OutputFile = audio.GetString("output-file", defaults.OutputFile) ?? defaults.OutputFile,
            OutputSampleRate = audio.GetInt("output-sample-rate", defaults.OutputSampleRate),
            PlaybackPiece = audio.GetTimeSpan("playback-piece", defaults.PlaybackPiece),
            PlaybackBuffer = audio.GetTimeSpan("playback-buffer", defaults.PlaybackBuffer),
        };
        settings.Validate();
        return settings;
    }

    /// <summary>The backend <c>auto</c> stands for on this system.</summary>
    public static AudioBackendKind PlatformBackend => OperatingSystem.IsWindows() ? AudioBackendKind.NAudio : AudioBackendKind.Pulse;

    /// <summary>The backend with <c>auto</c> resolved for this system.</summary>
    public AudioBackendKind EffectiveBackend => Backend == AudioBackendKind.Auto ? PlatformBackend : Backend;

    /// <summary>Where replies go: <c>output</c>, or the backend's output when it is <c>auto</c>.</summary>
    public AudioOutputKind EffectiveOutput => Output != AudioOutputKind.Auto ? Output : EffectiveBackend switch
    {
        AudioBackendKind.NAudio => AudioOutputKind.NAudio,
        AudioBackendKind.Wav => AudioOutputKind.Wav,
        AudioBackendKind.None => AudioOutputKind.None,
        _ => AudioOutputKind.Pulse,
    };

    /// <summary>Where the microphone audio comes from: <c>input</c>, or the backend's input when it
    /// is <c>auto</c> (for <c>backend = wav</c>, input-file when one is set, else none).</summary>
    public AudioInputKind EffectiveInput => Input != AudioInputKind.Auto ? Input : EffectiveBackend switch
    {
        AudioBackendKind.NAudio => AudioInputKind.NAudio,
        AudioBackendKind.Wav => string.IsNullOrWhiteSpace(InputFile) ? AudioInputKind.None : AudioInputKind.Wav,
        AudioBackendKind.None => AudioInputKind.None,
        _ => AudioInputKind.Pulse,
    };

    /// <summary>True when nothing was chosen explicitly: a missing device is then expected (a
    /// machine without sound) and reported as information, not as a warning.</summary>
    public bool OutputIsAutomatic => Output == AudioOutputKind.Auto && Backend == AudioBackendKind.Auto;

    /// <inheritdoc cref="OutputIsAutomatic"/>
    public bool InputIsAutomatic => Input == AudioInputKind.Auto && Backend == AudioBackendKind.Auto;

    /// <summary>Refuses values that cannot work, with one line naming the key.</summary>
    public void Validate()
    {
        if (OutputSampleRate is < 8000 or > 48000)
            throw new InvalidConfigurationException($"voice-agent.audio.output-sample-rate = {OutputSampleRate} is out of range: use 8000 to 48000.");
        if (PlaybackPiece < TimeSpan.FromMilliseconds(5) || PlaybackPiece > TimeSpan.FromMilliseconds(200))
            throw new InvalidConfigurationException($"voice-agent.audio.playback-piece = {PlaybackPiece.TotalMilliseconds}ms is out of range: use 5ms to 200ms.");
        if (PlaybackBuffer < PlaybackPiece * 2 || PlaybackBuffer > TimeSpan.FromSeconds(2))
            throw new InvalidConfigurationException($"voice-agent.audio.playback-buffer = {PlaybackBuffer.TotalMilliseconds}ms is out of range: use two pieces to 2s.");
        if (EffectiveInput == AudioInputKind.Wav && string.IsNullOrWhiteSpace(InputFile))
            throw new InvalidConfigurationException("voice-agent.audio.input = wav needs voice-agent.audio.input-file: set it to a 16-bit PCM WAV file.");
        if (EffectiveInput == AudioInputKind.Wav && !File.Exists(InputFile))
            throw new InvalidConfigurationException($"voice-agent.audio.input-file = \"{InputFile}\" does not exist: give the path of a 16-bit PCM WAV file.");
        if (EffectiveOutput == AudioOutputKind.Wav && string.IsNullOrWhiteSpace(OutputFile))
            throw new InvalidConfigurationException("voice-agent.audio.output = wav needs voice-agent.audio.output-file.");
    }

    private static T ParseEnum<T>(string? value, string key) where T : struct, Enum
    {
        if (Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)) return parsed;
        var names = string.Join(" | ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()));
        throw new InvalidConfigurationException($"{key} = {value} is not valid: use one of {names}.");
    }
}

using Akka.Configuration;
using VoiceAgent.Configuration;

namespace VoiceAgent.Audio.Hosting;

/// <summary>Where microphone audio comes from (<c>voice-agent.audio.input</c>).</summary>
public enum AudioInputKind
{
    /// <summary>PulseAudio when a server answers, else none.</summary>
    Auto,
    None,
    Pulse,
    Wav,
    /// <summary>Windows devices through the optional VoiceAgent.Audio.NAudio assembly.</summary>
    NAudio,
}

/// <summary>Where replies are played (<c>voice-agent.audio.output</c>).</summary>
public enum AudioOutputKind
{
    /// <summary>PulseAudio when a server answers, else none.</summary>
    Auto,
    /// <summary>Nothing is heard, but audio is paced in real time.</summary>
    None,
    Pulse,
    Wav,
    /// <summary>Windows devices through the optional VoiceAgent.Audio.NAudio assembly.</summary>
    NAudio,
}

/// <summary>The <c>voice-agent.audio</c> settings.</summary>
public sealed record AudioSettings
{
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

    /// <summary>Refuses values that cannot work, with one line naming the key.</summary>
    public void Validate()
    {
        if (OutputSampleRate is < 8000 or > 48000)
            throw new InvalidConfigurationException($"voice-agent.audio.output-sample-rate = {OutputSampleRate} is out of range: use 8000 to 48000.");
        if (PlaybackPiece < TimeSpan.FromMilliseconds(5) || PlaybackPiece > TimeSpan.FromMilliseconds(200))
            throw new InvalidConfigurationException($"voice-agent.audio.playback-piece = {PlaybackPiece.TotalMilliseconds}ms is out of range: use 5ms to 200ms.");
        if (PlaybackBuffer < PlaybackPiece * 2 || PlaybackBuffer > TimeSpan.FromSeconds(2))
            throw new InvalidConfigurationException($"voice-agent.audio.playback-buffer = {PlaybackBuffer.TotalMilliseconds}ms is out of range: use two pieces to 2s.");
        if (Input == AudioInputKind.Wav && string.IsNullOrWhiteSpace(InputFile))
            throw new InvalidConfigurationException("voice-agent.audio.input = wav needs voice-agent.audio.input-file: set it to a 16-bit PCM WAV file.");
        if (Input == AudioInputKind.Wav && !File.Exists(InputFile))
            throw new InvalidConfigurationException($"voice-agent.audio.input-file = \"{InputFile}\" does not exist: give the path of a 16-bit PCM WAV file.");
        if (Output == AudioOutputKind.Wav && string.IsNullOrWhiteSpace(OutputFile))
            throw new InvalidConfigurationException("voice-agent.audio.output = wav needs voice-agent.audio.output-file.");
    }

    private static T ParseEnum<T>(string? value, string key) where T : struct, Enum
    {
        if (Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)) return parsed;
        var names = string.Join(" | ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()));
        throw new InvalidConfigurationException($"{key} = {value} is not valid: use one of {names}.");
    }
}

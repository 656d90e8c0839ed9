using Akka.Configuration;
using VoiceAgent.Listening.Models;
using VoiceAgent.Listening.Recognition.PocketSphinx;
using VoiceAgent.Listening.Recognition.Whisper;
using VoiceAgent.Listening.Turns;
using VoiceAgent.Listening.Words;
using VoiceAgent.Configuration;

namespace VoiceAgent.Listening;

/// <summary>How the microphone relates to the speakers.</summary>
public enum MicrophoneMode
{
    /// <summary>Laptop speakers: the microphone hears the agent, so echo is cancelled and gated.</summary>
    Speaker,

    /// <summary>Headphones: no echo reaches the microphone; no echo handling.</summary>
    Headset,

    /// <summary>Only speech while the talk key is held counts (<c>/ptt</c> in the console).</summary>
    PushToTalk,
}

/// <summary>The <c>voice-agent.listening</c>, <c>voice-agent.barge-in</c> and <c>voice-agent.turn</c> sections.</summary>
public sealed record ListeningSettings
{
    public string Recognizer { get; init; } = "auto";
    public string TranscriptionUrl { get; init; } = "";
    public string TranscriptionModel { get; init; } = "whisper-1";
    public string TranscriptionApiKey { get; init; } = "";
    public string Language { get; init; } = "en";
    public TimeSpan TranscriptionTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>voice-agent.listening.whisper</c>: Whisper in-process.</summary>
    public WhisperOptions Whisper { get; init; } = new();

    /// <summary><c>voice-agent.listening.pocketsphinx</c>: the fallback that needs no download.</summary>
    public PocketSphinxOptions PocketSphinx { get; init; } = new();

    /// <summary><c>voice-agent.models</c>: where downloaded models live and come from.</summary>
    public ModelsOptions Models { get; init; } = new();

    /// <summary>Voice activity detection at all (off: text mode only, no barge-in by voice).</summary>
    public bool VadEnabled { get; init; } = true;
    public string VadModel { get; init; } = "";
    public float VadThreshold { get; init; } = 0.5f;
    public TimeSpan MinSpeech { get; init; } = TimeSpan.FromMilliseconds(250);
    public TimeSpan MinSilence { get; init; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan SpeechPadding { get; init; } = TimeSpan.FromMilliseconds(200);
    public MicrophoneMode Mode { get; init; } = MicrophoneMode.Speaker;
    public double SilenceFloorDbfs { get; init; } = -50;

    /// <summary>Longest echo path the canceller models: the room's delay plus its reverberation.</summary>
    public TimeSpan EchoFilterLength { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How much earlier than announced the played audio may reach the microphone.</summary>
    public TimeSpan EchoLead { get; init; } = TimeSpan.FromMilliseconds(16);

    /// <summary>Adaptation step of the echo canceller (above 0, at most 1).</summary>
    public float EchoStep { get; init; } = 0.5f;

    /// <summary>While the agent's audio plays, a window counts as the user only if the canceller
    /// removed less than this (dB) of its energy: more means it was mostly echo.</summary>
    public double EchoDominanceDb { get; init; } = 5;

    /// <summary>While the agent's audio plays (speaker mode), residual quieter than this (dBFS) is
    /// never the user: the canceller leaves quiet echo tails that the VAD would take for speech.</summary>
    public double EchoFloorDbfs { get; init; } = -40;

    public bool BargeInEnabled { get; init; } = true;
    public TimeSpan BargeInMinSpeech { get; init; } = TimeSpan.FromMilliseconds(250);
    public TimeSpan BargeInResumeAfter { get; init; } = TimeSpan.FromMilliseconds(600);

    /// <summary><c>voice-agent.turn</c>: when the user's turn has ended.</summary>
    public TurnSettings Turn { get; init; } = new();

    /// <summary>With a recognizer, the words heard over the agent decide a barge-in.</summary>
    public bool BargeInWords { get; init; } = true;

    /// <summary>Words other than backchannels that confirm a barge-in.</summary>
    public int BargeInMinWords { get; init; } = 1;

    /// <summary>Phrases that say "go on": heard alone over the agent, it resumes.</summary>
    public BackchannelPhrases BargeInBackchannels { get; init; } = BackchannelPhrases.Default;

    /// <summary>Longest the agent stays paused waiting for words (from the onset, capture clock)
    /// before the duration decides.</summary>
    public TimeSpan BargeInMaxPause { get; init; } = TimeSpan.FromSeconds(1.5);

    public static ListeningSettings FromConfig(Config root)
    {
        var listening = root.GetConfig("voice-agent.listening") ?? Config.Empty;
        var bargeIn = root.GetConfig("voice-agent.barge-in") ?? Config.Empty;
        var defaults = new ListeningSettings();
        var settings = new ListeningSettings
        {
            Recognizer = listening.GetString("recognizer", defaults.Recognizer),
            TranscriptionUrl = listening.GetString("transcription-url", defaults.TranscriptionUrl),
            TranscriptionModel = listening.GetString("transcription-model", defaults.TranscriptionModel),
            TranscriptionApiKey = listening.GetString("transcription-api-key", defaults.TranscriptionApiKey),
            TranscriptionTimeout = listening.GetTimeSpan("transcription-timeout", defaults.TranscriptionTimeout),
            Language = listening.GetString("language", defaults.Language),
            Whisper = WhisperOptions.FromConfig(listening.GetConfig("whisper") ?? Config.Empty),
            PocketSphinx = PocketSphinxOptions.FromConfig(listening.GetConfig("pocketsphinx") ?? Config.Empty),
            Models = ModelsOptions.FromConfig(root.GetConfig("voice-agent.models") ?? Config.Empty),
            VadEnabled = listening.GetBoolean("vad", defaults.VadEnabled),
            VadModel = listening.GetString("vad-model", defaults.VadModel),
            VadThreshold = (float)listening.GetDouble("vad-threshold", defaults.VadThreshold),
            MinSpeech = listening.GetTimeSpan("min-speech", defaults.MinSpeech),
            MinSilence = listening.GetTimeSpan("min-silence", defaults.MinSilence),
            SpeechPadding = listening.GetTimeSpan("speech-padding", defaults.SpeechPadding),
            Mode = ParseMode(listening.GetString("mode", "speaker")),
            SilenceFloorDbfs = listening.GetDouble("silence-floor-dbfs", defaults.SilenceFloorDbfs),
            EchoFilterLength = listening.GetTimeSpan("echo-filter-length", defaults.EchoFilterLength),
            EchoLead = listening.GetTimeSpan("echo-lead", defaults.EchoLead),
            EchoStep = (float)listening.GetDouble("echo-step", defaults.EchoStep),
            EchoDominanceDb = listening.GetDouble("echo-dominance-db", defaults.EchoDominanceDb),
            EchoFloorDbfs = listening.GetDouble("echo-floor-dbfs", defaults.EchoFloorDbfs),
            BargeInEnabled = bargeIn.GetBoolean("enabled", defaults.BargeInEnabled),
            BargeInMinSpeech = bargeIn.GetTimeSpan("min-speech", defaults.BargeInMinSpeech),
            BargeInResumeAfter = bargeIn.GetTimeSpan("resume-after", defaults.BargeInResumeAfter),
            Turn = TurnSettings.FromConfig(root),
            BargeInWords = bargeIn.GetBoolean("words", defaults.BargeInWords),
            BargeInMinWords = bargeIn.GetInt("min-words", defaults.BargeInMinWords),
            BargeInBackchannels = bargeIn.HasPath("backchannels") ? new BackchannelPhrases(bargeIn.GetStringList("backchannels")) : defaults.BargeInBackchannels,
            BargeInMaxPause = bargeIn.GetTimeSpan("max-pause", defaults.BargeInMaxPause),
        };
        if (settings.BargeInMinWords is < 1 or > 20)
            throw new InvalidConfigurationException($"voice-agent.barge-in.min-words = {settings.BargeInMinWords}: must be a whole number from 1 to 20 (default 1).");
        if (settings.BargeInMaxPause < TimeSpan.FromMilliseconds(100) || settings.BargeInMaxPause > TimeSpan.FromSeconds(10))
            throw new InvalidConfigurationException($"voice-agent.barge-in.max-pause = {settings.BargeInMaxPause.TotalMilliseconds:0}ms: must be between 100ms and 10s (default 1.5s).");
        if (settings.BargeInBackchannels.Empty is { } empty)
            throw new InvalidConfigurationException($"voice-agent.barge-in.backchannels: \"{empty}\" has no word in it (default [{BackchannelPhrases.Default}]).");
        if (settings.EchoStep is <= 0 or > 1)
            throw new InvalidConfigurationException($"voice-agent.listening.echo-step = {settings.EchoStep}: must be above 0 and at most 1 (default 0.5).");
        if (settings.EchoFilterLength < TimeSpan.FromMilliseconds(20) || settings.EchoFilterLength > TimeSpan.FromSeconds(2))
            throw new InvalidConfigurationException($"voice-agent.listening.echo-filter-length = {settings.EchoFilterLength.TotalMilliseconds:0}ms: must be between 20ms and 2s (default 500ms).");
        return settings;
    }

    public static MicrophoneMode ParseMode(string value) => value.Trim().ToLowerInvariant() switch
    {
        "speaker" => MicrophoneMode.Speaker,
        "headset" => MicrophoneMode.Headset,
        "push-to-talk" => MicrophoneMode.PushToTalk,
        _ => throw new ArgumentException($"voice-agent.listening.mode = \"{value}\" is not one of: speaker | headset | push-to-talk."),
    };
}

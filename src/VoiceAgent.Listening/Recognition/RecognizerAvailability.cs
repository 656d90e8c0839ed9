using VoiceAgent.Listening.Models;
using VoiceAgent.Listening.Recognition.PocketSphinx;
using VoiceAgent.Listening.Recognition.Whisper;

namespace VoiceAgent.Listening.Recognition;

/// <summary>The speech recognizers this app can use.</summary>
public enum RecognizerEngine
{
    /// <summary>Whisper in-process (Whisper.net): the best words, needs a downloaded model.</summary>
    Whisper,

    /// <summary>An OpenAI-compatible <c>/v1/audio/transcriptions</c> server.</summary>
    OpenAi,

    /// <summary>PocketSphinx from the distribution: no download, low accuracy.</summary>
    PocketSphinx,
}

/// <summary>Whether one engine can listen here: with which <paramref name="Model"/>, and when not,
/// the <paramref name="Problem"/> (one line with what to do).</summary>
public sealed record EngineStatus(RecognizerEngine Engine, bool Available, string Model, string? Problem)
{
    public string Label => RecognizerAvailability.Label(Engine);
}

/// <summary>
/// Which recognizer engines are available on this machine, with which model, and why not: what
/// <c>listening.recognizer = auto</c> chooses from (in <see cref="AutoOrder"/>), and what a
/// diagnostic command can print. Cheap: it looks at files and libraries, it loads no model.
/// </summary>
public sealed class RecognizerAvailability
{
    /// <summary>auto: Whisper when its model is present, else a configured server, else PocketSphinx.</summary>
    public static readonly IReadOnlyList<RecognizerEngine> AutoOrder = [RecognizerEngine.Whisper, RecognizerEngine.OpenAi, RecognizerEngine.PocketSphinx];

    /// <summary>The values <c>voice-agent.listening.recognizer</c> takes.</summary>
    public const string Choices = "auto | whisper | pocketsphinx | openai | none";

    private RecognizerAvailability(IReadOnlyList<EngineStatus> engines) => Engines = engines;

    public IReadOnlyList<EngineStatus> Engines { get; }

    public EngineStatus this[RecognizerEngine engine] => Engines.First(e => e.Engine == engine);

    public static RecognizerAvailability Check(ListeningSettings settings) =>
        new([CheckWhisper(settings), CheckOpenAi(settings), CheckPocketSphinx(settings.PocketSphinx)]);

    public static string Label(RecognizerEngine engine) => engine switch
    {
        RecognizerEngine.Whisper => "Whisper",
        RecognizerEngine.OpenAi => "OpenAI-compatible server",
        _ => "PocketSphinx",
    };

    /// <summary>Parses a recognizer choice other than auto and none.</summary>
    public static bool TryParse(string value, out RecognizerEngine engine)
    {
        switch (value.Trim().ToLowerInvariant())
        {
            case "whisper":
                engine = RecognizerEngine.Whisper;
                return true;
            case "openai":
                engine = RecognizerEngine.OpenAi;
                return true;
            case "pocketsphinx":
                engine = RecognizerEngine.PocketSphinx;
                return true;
            default:
                engine = default;
                return false;
        }
    }

    public static WhisperModelLocation WhisperModel(ListeningSettings settings) =>
        WhisperModelLocation.Resolve(settings.Whisper.Model, ModelStore.For(settings.Models));

    private static EngineStatus CheckWhisper(ListeningSettings settings)
    {
        var model = WhisperModel(settings);
        return new EngineStatus(RecognizerEngine.Whisper, model.Exists, model.Path, model.Exists ? null : model.Missing);
    }

    private static EngineStatus CheckOpenAi(ListeningSettings settings)
    {
        if (string.IsNullOrWhiteSpace(settings.TranscriptionUrl))
            return new EngineStatus(RecognizerEngine.OpenAi, false, "", "voice-agent.listening.transcription-url is not set");
        try
        {
            var endpoint = OpenAiTranscriptionRecognizer.EndpointFor(settings.TranscriptionUrl);
            return new EngineStatus(RecognizerEngine.OpenAi, true, $"{settings.TranscriptionModel} at {endpoint}", null);
        }
        catch (SpeechRecognitionException e)
        {
            return new EngineStatus(RecognizerEngine.OpenAi, false, settings.TranscriptionUrl, e.Message.TrimEnd('.'));
        }
    }

    private static EngineStatus CheckPocketSphinx(PocketSphinxOptions options)
    {
        const string Install = "install pocketsphinx-en-us and libpocketsphinx3 (scripts/system-packages.sh does)";
        if (!PocketSphinxNative.Available(out var problem))
            return new EngineStatus(RecognizerEngine.PocketSphinx, false, options.ModelFolder, $"PocketSphinx is not installed ({problem}): {Install}");
        var missing = new[] { Path.Combine("en-us", "mdef"), "en-us.lm.bin", "cmudict-en-us.dict" }
            .FirstOrDefault(file => !File.Exists(Path.Combine(options.ModelFolder, file)));
        return missing is null
            ? new EngineStatus(RecognizerEngine.PocketSphinx, true, options.ModelFolder, null)
            : new EngineStatus(RecognizerEngine.PocketSphinx, false, options.ModelFolder,
                $"PocketSphinx's model is missing ({Path.Combine(options.ModelFolder, missing)}): {Install}, or set voice-agent.listening.pocketsphinx.model-folder");
    }
}

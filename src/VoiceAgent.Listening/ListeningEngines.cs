using VoiceAgent.Listening.Engine;
using VoiceAgent.Listening.Recognition;
using VoiceAgent.Listening.Vad;

namespace VoiceAgent.Listening;

/// <summary>
/// Where the listening side's engines come from: voice activity (the listening engine with its
/// VAD, echo canceller and barge-in) and speech recognition. The composition root registers one
/// (the configured engines); everything that listens — the RecognizerActor, <c>transcribe</c> —
/// takes its engines from that registration, so a host that registers another gets them everywhere.
/// </summary>
public interface IListeningEngines
{
    /// <summary>The listening engine, or why there is none (then the app runs in text mode).</summary>
    (ListeningEngine? Engine, string? Problem) CreateEngine(ListeningSettings settings);

    /// <summary>The recognizer <c>listening.recognizer</c> asks for (<c>auto</c> chooses), and why.</summary>
    RecognizerChoice ChooseRecognizer(ListeningSettings settings, Action<string>? progress = null);

    /// <summary>Starts the named recognizer; a <see cref="SpeechRecognitionException"/> says why it cannot.</summary>
    ISpeechRecognizer StartRecognizer(RecognizerEngine engine, ListeningSettings settings, Action<string>? progress = null);
}

/// <summary>The engines the settings name: Silero VAD (ONNX Runtime) and Whisper, PocketSphinx or an
/// OpenAI-compatible transcription endpoint.</summary>
public sealed class ConfiguredListeningEngines : IListeningEngines
{
    public (ListeningEngine? Engine, string? Problem) CreateEngine(ListeningSettings settings)
    {
        if (!settings.VadEnabled) return (null, "voice activity detection is off (listening.vad = false)");
        try
        {
            var model = new SileroVadModel(VadModelFile.Resolve(settings.VadModel));
            return (new ListeningEngine(settings, model), null);
        }
        catch (VadModelException e)
        {
            return (null, e.Message);
        }
        catch (Exception e) when (e is Microsoft.ML.OnnxRuntime.OnnxRuntimeException or DllNotFoundException or TypeInitializationException)
        {
            return (null, $"voice activity detection unavailable (ONNX Runtime: {e.Message.ReplaceLineEndings(" ")})");
        }
    }

    public RecognizerChoice ChooseRecognizer(ListeningSettings settings, Action<string>? progress = null) =>
        RecognizerFactory.Create(settings, progress);

    public ISpeechRecognizer StartRecognizer(RecognizerEngine engine, ListeningSettings settings, Action<string>? progress = null) =>
        RecognizerFactory.Start(engine, settings, progress);
}

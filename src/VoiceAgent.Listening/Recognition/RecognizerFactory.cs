using VoiceAgent.Listening.Recognition.PocketSphinx;
using VoiceAgent.Listening.Recognition.Whisper;

namespace VoiceAgent.Listening.Recognition;

/// <summary>A recognizer and the reason for the choice (why this engine, or why there is none:
/// then the app stays in text mode). Both are shown to the user.</summary>
public sealed record RecognizerChoice(ISpeechRecognizer? Recognizer, string Reason);

/// <summary>
/// Builds the recognizer <c>voice-agent.listening.recognizer</c> asks for. <c>auto</c> goes down
/// <see cref="RecognizerAvailability.AutoOrder"/> and takes the first engine that is available and
/// starts; an engine named explicitly must start, or its one-line reason is the error.
/// </summary>
public static class RecognizerFactory
{
    /// <param name="progress">Start-up steps that take a moment (loading a model) report here.</param>
    public static RecognizerChoice Create(ListeningSettings settings, Action<string>? progress = null)
    {
        var choice = settings.Recognizer.Trim().ToLowerInvariant();
        if (choice == "none") return new(null, "speech recognition is off (listening.recognizer = none)");
        var availability = RecognizerAvailability.Check(settings);
        if (choice == "auto") return Auto(settings, availability, progress);
        if (!RecognizerAvailability.TryParse(choice, out var engine))
            throw new SpeechRecognitionException($"voice-agent.listening.recognizer = \"{settings.Recognizer}\" is not one of: {RecognizerAvailability.Choices}.");
        var status = availability[engine];
        if (!status.Available) throw new SpeechRecognitionException($"listening.recognizer = {choice}, but {status.Problem}.");
        return new(Start(engine, settings, progress), "");
    }

    /// <summary>Starts one engine; a <see cref="SpeechRecognitionException"/> says why it cannot.</summary>
    public static ISpeechRecognizer Start(RecognizerEngine engine, ListeningSettings settings, Action<string>? progress = null)
    {
        switch (engine)
        {
            case RecognizerEngine.Whisper:
                var model = RecognizerAvailability.WhisperModel(settings);
                progress?.Invoke($"loading Whisper model {model.Name}…");
                return WhisperRecognizer.Load(model.Path, model.Name, settings.Whisper);
            case RecognizerEngine.OpenAi:
                return new OpenAiTranscriptionRecognizer(settings.TranscriptionUrl, settings.TranscriptionModel, settings.Language, settings.TranscriptionApiKey, settings.TranscriptionTimeout);
            default:
                return PocketSphinxRecognizer.Load(settings.PocketSphinx);
        }
    }

    private static RecognizerChoice Auto(ListeningSettings settings, RecognizerAvailability availability, Action<string>? progress)
    {
        // What was passed over, said with the choice: the user learns how to get a better engine.
        var passedOver = new List<string>();
        foreach (var engine in RecognizerAvailability.AutoOrder)
        {
            var status = availability[engine];
            if (!status.Available)
            {
                // A transcription server is an option to configure, not something missing.
                if (engine != RecognizerEngine.OpenAi) passedOver.Add(status.Problem!);
                continue;
            }
            try
            {
                return new(Start(engine, settings, progress), string.Join("; ", passedOver));
            }
            catch (SpeechRecognitionException e)
            {
                passedOver.Add(e.Message.TrimEnd('.'));
            }
        }
        return new(null, "no speech recognizer (" + string.Join("; ", passedOver) + ")");
    }
}

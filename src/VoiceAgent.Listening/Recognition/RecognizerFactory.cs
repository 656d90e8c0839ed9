using System.Reflection;

namespace VoiceAgent.Listening.Recognition;

/// <summary>A recognizer, or why there is none (the app then stays in text mode).</summary>
public sealed record RecognizerChoice(ISpeechRecognizer? Recognizer, string Reason);

/// <summary>
/// Builds the recognizer <c>voice-agent.listening.recognizer</c> asks for. Whisper.net lives in an
/// optional assembly (built with <c>-p:WithWhisperNet=true</c>) found by name at run time, so the
/// core never references it.
/// </summary>
public static class RecognizerFactory
{
    public const string WhisperNetType = "VoiceAgent.Listening.WhisperNet.WhisperNetRecognizerFactory, VoiceAgent.Listening.WhisperNet";

    public static RecognizerChoice Create(ListeningSettings settings, Action<string>? progress = null)
    {
        switch (settings.Recognizer.Trim().ToLowerInvariant())
        {
            case "none":
                return new(null, "speech recognition is off (listening.recognizer = none)");
            case "openai":
                if (string.IsNullOrWhiteSpace(settings.TranscriptionUrl))
                    throw new SpeechRecognitionException("voice-agent.listening.recognizer = openai needs voice-agent.listening.transcription-url (e.g. http://127.0.0.1:8080 for whisper.cpp's server).");
                return new(OpenAi(settings), "");
            case "whisper-net":
                return WhisperNet(settings, progress) is { } whisper
                    ? new(whisper, "")
                    : throw new SpeechRecognitionException("voice-agent.listening.recognizer = whisper-net, but this build has no Whisper.net: rebuild with -p:WithWhisperNet=true, or use recognizer = openai.");
            case "auto":
                if (!string.IsNullOrWhiteSpace(settings.TranscriptionUrl)) return new(OpenAi(settings), "");
                if (WhisperNet(settings, progress) is { } auto) return new(auto, "");
                return new(null, "no speech recognizer (set voice-agent.listening.transcription-url, or build with Whisper.net)");
            default:
                throw new SpeechRecognitionException($"voice-agent.listening.recognizer = \"{settings.Recognizer}\" is not one of: auto | none | openai | whisper-net.");
        }
    }

    private static OpenAiTranscriptionRecognizer OpenAi(ListeningSettings settings) =>
        new(settings.TranscriptionUrl, settings.TranscriptionModel, settings.Language, settings.TranscriptionApiKey, settings.TranscriptionTimeout);

    /// <summary>The Whisper.net recognizer when its assembly ships with the app; null otherwise.</summary>
    private static ISpeechRecognizer? WhisperNet(ListeningSettings settings, Action<string>? progress)
    {
        Type? factory;
        try
        {
            factory = Type.GetType(WhisperNetType, throwOnError: false);
        }
        catch (Exception e) when (e is FileLoadException or BadImageFormatException)
        {
            return null;
        }
        var create = factory?.GetMethod("Create", BindingFlags.Public | BindingFlags.Static, [typeof(ListeningSettings), typeof(Action<string>)]);
        if (create is null) return null;
        try
        {
            return (ISpeechRecognizer?)create.Invoke(null, [settings, progress]);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw new SpeechRecognitionException(e.InnerException.Message, e.InnerException);
        }
    }
}

using System.Text;
using VoiceAgent.Audio;
using VoiceAgent.Protocol;
using Whisper.net;

namespace VoiceAgent.Listening.WhisperNet;

/// <summary>
/// Whisper (whisper.cpp) in-process through Whisper.net: one factory for the model, one
/// processor per utterance (a processor is not shared between concurrent calls).
/// </summary>
public sealed class WhisperNetRecognizer(WhisperFactory factory, string modelName, string language) : ISpeechRecognizer
{
    public string Description => $"speech recognition: Whisper {modelName} (Whisper.net, on this machine)";

    public async Task<string> TranscribeAsync(ReadOnlyMemory<short> utterance, CancellationToken cancellationToken)
    {
        var builder = factory.CreateBuilder();
        builder = string.IsNullOrWhiteSpace(language) ? builder.WithLanguage("auto") : builder.WithLanguage(language);
        await using var processor = builder.Build();
        using var wav = new MemoryStream(WavFile.Encode(utterance.Span, CaptureFormat.SampleRate));
        var text = new StringBuilder();
        await foreach (var segment in processor.ProcessAsync(wav, cancellationToken))
            text.Append(segment.Text);
        return text.ToString().Trim();
    }

    public void Dispose() => factory.Dispose();
}

/// <summary>Called by <see cref="Recognition.RecognizerFactory"/> (by name) when this assembly ships with the app.</summary>
public static class WhisperNetRecognizerFactory
{
    public static ISpeechRecognizer Create(ListeningSettings settings, Action<string>? progress)
    {
        // Start-up work: the download (first use only) shows progress; the host waits for it.
        var path = GgmlModels.EnsureAsync(settings.WhisperModel, progress, CancellationToken.None).GetAwaiter().GetResult();
        return new WhisperNetRecognizer(WhisperFactory.FromPath(path), settings.WhisperModel, settings.Language);
    }
}

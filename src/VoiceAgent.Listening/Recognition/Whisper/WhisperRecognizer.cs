using System.Text.RegularExpressions;
using System.Text;
using VoiceAgent.Dsp;
using VoiceAgent.Core.Protocol;
using Whisper.net;

namespace VoiceAgent.Listening.Recognition.Whisper;

/// <summary>
/// Whisper (whisper.cpp) in-process through Whisper.net. The model is loaded once, and the first
/// processor is built at load, so a bad model is reported at start, before the first utterance.
/// Each utterance takes a processor of its own from a pool (a processor serves one call at a time).
/// </summary>
public sealed partial class WhisperRecognizer : ISpeechRecognizer
{
    // whisper.cpp refuses input shorter than a second; the rest is padded with silence.
    private static readonly int MinimumSamples = CaptureFormat.SampleRate * 11 / 10;

    private readonly WhisperFactory _factory;
    private readonly WhisperOptions _options;
    private readonly EnginePool<WhisperProcessor> _processors;

    private WhisperRecognizer(WhisperFactory factory, WhisperProcessor first, WhisperOptions options, string modelName)
    {
        _factory = factory;
        _options = options;
        _processors = new EnginePool<WhisperProcessor>(first, () => Build(factory, options));
        Name = $"Whisper {modelName}";
    }

    public string Name { get; }

    public string Description => $"speech recognition: {Name} on this machine (Whisper.net, {_options.EffectiveThreads} thread{(_options.EffectiveThreads == 1 ? "" : "s")})";

    /// <summary>Loads the model and builds its first processor; a model that does not load is a
    /// <see cref="SpeechRecognitionException"/> naming the file and whisper.cpp's own reason.</summary>
    public static WhisperRecognizer Load(string modelPath, string modelName, WhisperOptions options)
    {
        WhisperFactory? factory = null;
        var (processor, failure, nativeError) = WhisperNativeLog.Capture(() =>
        {
            factory = WhisperFactory.FromPath(modelPath);
            return Build(factory, options);
        });
        if (processor is not null) return new WhisperRecognizer(factory!, processor, options, modelName);

        factory?.Dispose();
        var cause = nativeError ?? failure!.Message.ReplaceLineEndings(" ");
        throw new SpeechRecognitionException(
            failure is WhisperModelLoadException
                ? $"Whisper model {modelPath} could not be loaded: {cause} (whisper.cpp)."
                : $"Whisper could not start with {modelPath}: {cause}.",
            failure);
    }

    private static WhisperProcessor Build(WhisperFactory factory, WhisperOptions options)
    {
        var builder = factory.CreateBuilder()
            .WithLanguage(string.IsNullOrWhiteSpace(options.Language) ? "auto" : options.Language.Trim())
            .WithThreads(options.EffectiveThreads)
            .WithNoSpeechThreshold(options.NoSpeechThreshold)
            // Each utterance stands alone: the last one's words are no prompt for the next.
            .WithNoContext();
        if (!options.TemperatureFallback) builder = builder.WithTemperatureInc(0);
        if (!string.IsNullOrWhiteSpace(options.InitialPrompt)) builder = builder.WithPrompt(options.InitialPrompt);
        // Greedy is whisper.cpp's default.
        if (options.Sampling == WhisperSampling.Beam)
            builder.WithBeamSearchSamplingStrategy(beam => beam.WithBeamSize(options.BeamSize));
        return builder.Build();
    }

    public async Task<string> TranscribeAsync(ReadOnlyMemory<short> utterance, CancellationToken cancellationToken)
    {
        var samples = new float[Math.Max(utterance.Length, MinimumSamples)];
        Pcm16.ToFloats(utterance.Span, samples);

        var processor = _processors.Rent();
        var completed = false;
        try
        {
            var text = new StringBuilder();
            await foreach (var segment in processor.ProcessAsync(samples, cancellationToken).ConfigureAwait(false))
                text.Append(segment.Text);
            completed = true;
            return Clean(text.ToString());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new SpeechRecognitionException($"Whisper failed on an utterance: {e.Message.ReplaceLineEndings(" ")}", e);
        }
        finally
        {
            if (completed) _processors.Return(processor);
            else await processor.DisposeAsync().ConfigureAwait(false); // a cut-off call may leave state behind
        }
    }

    /// <summary>Drops whisper.cpp's markers for non-speech ("[BLANK_AUDIO]").</summary>
    private static string Clean(string text) => Spaces().Replace(Markers().Replace(text, " "), " ").Trim();

    [GeneratedRegex(@"\[BLANK_AUDIO\]")]
    private static partial Regex Markers();

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex Spaces();

    public void Dispose()
    {
        _processors.Dispose();
        _factory.Dispose();
    }
}

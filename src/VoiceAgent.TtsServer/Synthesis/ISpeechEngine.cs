namespace VoiceAgent.TtsServer.Synthesis;

/// <summary>What one synthesis call needs.</summary>
/// <param name="Text">Plain text, already cleaned of markdown.</param>
/// <param name="VoiceIdentifier">The engine's own voice identifier.</param>
/// <param name="Speed">1.0 is normal; larger is faster.</param>
public sealed record SynthesisRequest(string Text, string VoiceIdentifier, double Speed);

/// <summary>A speech synthesizer that is not thread-safe: <see cref="SynthesisWorker"/> calls it
/// from its one thread.</summary>
public interface ISpeechEngine
{
    /// <summary>Sample rate of everything <see cref="Synthesize"/> returns.</summary>
    int SampleRate { get; }

    IReadOnlyList<EspeakVoice> Voices { get; }

    /// <summary>Mono 16-bit samples; stops early and throws <see cref="OperationCanceledException"/>
    /// when <paramref name="cancellation"/> fires.</summary>
    short[] Synthesize(SynthesisRequest request, CancellationToken cancellation);
}

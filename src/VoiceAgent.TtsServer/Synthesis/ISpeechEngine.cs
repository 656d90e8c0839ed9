namespace VoiceAgent.TtsServer.Synthesis;

/// <summary>What one synthesis call needs.</summary>
/// <param name="Text">Plain text, already cleaned of markdown.</param>
/// <param name="VoiceIdentifier">The engine's own voice identifier.</param>
/// <param name="Speed">1.0 is normal; larger is faster.</param>
/// <param name="SentenceGoesOn">The text is the first part of a sentence whose rest follows at once:
/// it ends without the sentence pause and with the tone of a clause that goes on.</param>
public sealed record SynthesisRequest(string Text, string VoiceIdentifier, double Speed, bool SentenceGoesOn = false);

/// <summary>Takes samples as the engine produces them; returns false to stop the synthesis there.
/// Must not throw: it runs inside the engine's native callback.</summary>
public delegate bool SampleSink(ReadOnlySpan<short> samples);

/// <summary>A speech synthesizer that is not thread-safe: <see cref="SynthesisWorker"/> calls it
/// from its one thread.</summary>
public interface ISpeechEngine
{
    /// <summary>Sample rate of everything <see cref="Synthesize"/> produces.</summary>
    int SampleRate { get; }

    IReadOnlyList<EspeakVoice> Voices { get; }

    /// <summary>Synthesizes mono 16-bit samples, handing them to <paramref name="sink"/> piece by
    /// piece as they come (so a long text is never held whole). Returns when done or when the
    /// sink said stop; throws <see cref="OperationCanceledException"/> when
    /// <paramref name="cancellation"/> fires.</summary>
    void Synthesize(SynthesisRequest request, SampleSink sink, CancellationToken cancellation);
}

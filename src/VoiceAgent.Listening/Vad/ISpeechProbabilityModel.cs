namespace VoiceAgent.Listening.Vad;

/// <summary>A voice activity model that scores fixed-size windows of 16 kHz audio, keeping its
/// own recurrent state between calls.</summary>
public interface ISpeechProbabilityModel : IDisposable
{
    /// <summary>New samples per call (512 for Silero at 16 kHz, 32 ms).</summary>
    int WindowSamples { get; }

    /// <summary>Probability (0..1) that the window holds speech. Samples are floats in [-1, 1].</summary>
    float SpeechProbability(ReadOnlySpan<float> window);

    /// <summary>Forgets the stream so far (a new, unrelated stream follows).</summary>
    void Reset();
}

namespace VoiceAgent.Listening.Echo;

/// <summary>
/// How much of the echo an echo canceller removes, measured on the microphone over the blocks
/// it learns from: the ratio of smoothed energies, not the smoothed ratio of each block's. A
/// block of the pause between two words, heard as near silence while the filter still rings a
/// little, counts by its energy (next to nothing) and not as -20 dB. Averaged in dB such blocks
/// kept a filter removing 10 to 20 dB from the words below the bootstrap level for seconds
/// (seen in the virtual room, where the gate then stayed cautious and let a user through 430 ms late).
/// </summary>
internal sealed class RemovalMeter
{
    private const float Smoothing = 0.02f;
    // Until the filter removes this much of the echo (smoothed), it learns at the full step.
    private const float BootstrapDb = 10f;

    private float _meanMicEnergy;
    private float _meanErrorEnergy;

    /// <summary>Smoothed echo removal (dB), between -20 and 60.</summary>
    public float Db { get; private set; }

    /// <summary>Whether the filter has once removed enough to have learned the path: from then
    /// on its leakage says how much of the echo it explains.</summary>
    public bool Bootstrapped { get; private set; }

    /// <summary>One block's mean energies of the microphone and of what the filter left of it.</summary>
    public void Add(float micEnergy, float errorEnergy)
    {
        _meanMicEnergy += Smoothing * (micEnergy - _meanMicEnergy);
        _meanErrorEnergy += Smoothing * (errorEnergy - _meanErrorEnergy);
        Db = Math.Clamp(10 * MathF.Log10(_meanMicEnergy / Math.Max(_meanErrorEnergy, 1e-12f)), -20f, 60f);
        if (Db >= BootstrapDb) Bootstrapped = true;
    }

    public void Reset()
    {
        Db = 0;
        _meanMicEnergy = _meanErrorEnergy = 0;
        Bootstrapped = false;
    }
}

namespace VoiceAgent.Listening.Echo;

/// <summary>
/// An echo canceller's leakage: what is left of the echo for each unit of echo it explains
/// (energy), as the slope of the error's energy over the echo estimate's energy across blocks.
/// A user's voice, unrelated to the estimate, leaves that slope alone.
/// </summary>
internal sealed class LeakageTracker
{
    // Blocks over which the leakage is estimated: about 0.25 s.
    private const float Smoothing = 1f / 64;
    private const float MinLeakage = 1e-3f;
    private const float MaxLeakage = 4f;

    private float _meanEstimate;
    private float _meanError;
    private float _covariance;
    private float _variance;

    public float Value { get; private set; } = 1f;

    /// <summary>One block's mean energies of the echo estimate and of the error.</summary>
    public void Add(float estimateEnergy, float errorEnergy)
    {
        _meanEstimate += Smoothing * (estimateEnergy - _meanEstimate);
        _meanError += Smoothing * (errorEnergy - _meanError);
        var dy = estimateEnergy - _meanEstimate;
        var de = errorEnergy - _meanError;
        _covariance += Smoothing * (dy * de - _covariance);
        _variance += Smoothing * (dy * dy - _variance);
        if (_variance > 1e-14f) Value = Math.Clamp(_covariance / _variance, MinLeakage, MaxLeakage);
    }

    public void Reset()
    {
        Value = 1f;
        _meanEstimate = _meanError = _covariance = _variance = 0;
    }
}

namespace VoiceAgent.Listening.Echo;

/// <summary>Levels of one VAD window while the agent's audio is playing (all dBFS).</summary>
/// <param name="MicDb">The microphone, before echo cancelling.</param>
/// <param name="ResidualDb">What is left after echo cancelling.</param>
/// <param name="LoudestReferenceDb">The loudest 32 ms of reference that can echo into this window.</param>
public readonly record struct EchoWindowLevels(double MicDb, double ResidualDb, double LoudestReferenceDb);

/// <summary>
/// Residual echo suppression: decides whether a window heard while the agent speaks can be the
/// user, or is the agent's own voice the canceller did not fully remove. Two tests must pass:
/// <list type="bullet">
/// <item>the canceller did not explain most of the window (it removed less than
/// <c>dominanceDb</c>), and</item>
/// <item>the microphone is loud enough compared with the loudest echo the reference could
/// cause: reference level plus the learned coupling (speaker-to-microphone gain) plus a margin.
/// Until the canceller has converged (the first moments of the first reply) the margin is
/// positive: only a user clearly louder than the echo gets through.</item>
/// </list>
/// The coupling is learned from windows the canceller explained: it rises at once and sinks slowly
/// (until the first such window, a cautious guess stands in).
/// </summary>
public sealed class EchoGate(double dominanceDb = 5, double initialCouplingDb = 0, double convergedMarginDb = -6, double learningMarginDb = 6)
{
    private const double CouplingDecayPerWindow = 0.02;
    // The measurement is an average gain; a 32 ms window of echo can run a little hotter.
    private const double MeasurementAllowanceDb = 3;
    private const double FastCouplingDecayPerWindow = 0.3;
    private const int LearningWindows = 60;
    private const double CouplingRise = 0.25;
    // Reference quieter than this (its loudest 32 ms) says little about the echo path.
    private const double LearnReferenceFloorDb = -35;
    // Slow: convergence is declared only after about a second of well-cancelled echo.
    private const double ErleSmoothing = 0.05;
    // Echo windows quieter than this teach nothing (the canceller has little to work with).
    private const double LearnFloorDb = -50;

    private double? _cancellerErleDb;
    private int _convergedUpdates;
    private bool _heldConvergence;
    private double _couplingDb = initialCouplingDb;
    private int _explained;
    private double _erleDb;

    /// <summary>The coupling the gate works with: measured directly when a measurement is
    /// available (<see cref="CouplingMeter"/>), otherwise learned from cancelled windows.</summary>
    public double CouplingDb => MeasuredCouplingDb is { } measured ? measured + MeasurementAllowanceDb : _couplingDb;

    /// <summary>Set by the engine from its <see cref="CouplingMeter"/> once per frame; null when not
    /// yet known. A rise is taken at once; a fall is followed at most
    /// <see cref="MeasuredCouplingFallPerUpdate"/> per update: the meter reads a reference placed
    /// a few samples off as a weaker echo path, and on PulseAudio it fell from 3 dB to -10 dB
    /// within two seconds of such streams, while the room had not changed at all; with it, the
    /// gate let the echo through as the user, pause after pause. A room that really got quieter
    /// is followed within seconds.</summary>
    public double? MeasuredCouplingDb
    {
        get => _measuredCouplingDb;
        set => _measuredCouplingDb = value is { } now && _measuredCouplingDb is { } before ? Math.Max(now, before - MeasuredCouplingFallPerUpdate) : value;
    }

    /// <summary>How far the measured coupling the gate works with may fall per update (dB, 20 ms
    /// frames): 1 dB a second.</summary>
    public const double MeasuredCouplingFallPerUpdate = 0.02;

    private double? _measuredCouplingDb;

    /// <summary>The canceller's own measure of its echo reduction, set by the engine once per
    /// frame when the canceller has one; it then stands in for the one learned here.
    /// <para>The measure (the filter's leakage) cannot tell a user's onset from a filter that lost
    /// the echo path: both make it collapse within a block or two, and reading an onset as "lost"
    /// makes the gate cautious exactly when the user starts to talk (measured: a user as loud as a
    /// 0 dB echo was let through 430 ms late instead of 55 ms). So once the filter has shown for
    /// <see cref="SettledUpdates"/> frames that it explains the echo, a sudden drop is followed
    /// only slowly (<see cref="ErleFallPerUpdate"/>; a filter that truly lost the path is
    /// believed within about a second). Right after a seam (<see cref="ReferenceRealigned"/>, <see cref="NewStreamPlaced"/>) the
    /// filter may really be off, and a just-converged filter claims more than it removes: there
    /// every dip counts at once.</para></summary>
    public double? CancellerErleDb
    {
        get => _cancellerErleDb;
        set
        {
            _convergedUpdates = value >= ConvergedErleDb ? _convergedUpdates + 1 : 0;
            var settled = _heldConvergence || _convergedUpdates >= SettledUpdates;
            _heldConvergence = settled;
            _cancellerErleDb = settled && value is { } now && _cancellerErleDb is { } before ? Math.Max(now, before - ErleFallPerUpdate) : value;
            if (_cancellerErleDb < ConvergedErleDb) _heldConvergence = false;
        }
    }

    /// <summary>Called by the engine when it moved the reference to match the echo: the filter
    /// was off, so dips in its measure count at once again until it has shown for
    /// <see cref="SettledUpdates"/> that it explains the echo of what follows.</summary>
    public void ReferenceRealigned()
    {
        _heldConvergence = false;
        _convergedUpdates = 0;
    }

    /// <summary>Called by the engine when a new stream of played audio was placed by its time
    /// stamp (after the device ran dry). The echo path has not changed, so the filter is most
    /// likely still right, but the placement may be a little off: dips count at once until the
    /// filter has explained the new stream's echo for <see cref="NewStreamUpdates"/>.
    /// <para>A full <see cref="ReferenceRealigned"/> here was measured to hold a user back: on a
    /// busy machine the device runs dry every few hundred milliseconds, the hold was then almost
    /// never on, and a user's onset read as a lost filter (onset → pause 400–860 ms).</para></summary>
    public void NewStreamPlaced()
    {
        _heldConvergence = false;
        _convergedUpdates = Math.Min(_convergedUpdates, SettledUpdates - NewStreamUpdates);
    }

    /// <summary>Updates (20 ms frames) a filter that was settled must explain a new stream's echo
    /// before its dips are followed only slowly again: the engine's settling time for a new
    /// stream (<c>ListeningEngine.NewStreamSettling</c>).</summary>
    public const int NewStreamUpdates = 10;

    /// <summary>How far the canceller's measure, as the gate holds it, may fall per update (dB).</summary>
    public const double ErleFallPerUpdate = 0.2;

    /// <summary>The hold starts only after the measure has stayed converged this many updates
    /// (frames, 20 ms each) since the filter converged or since the last seam: a filter that has
    /// just learned the path claims more than it removes, and its dips then are real.</summary>
    public const int SettledUpdates = 25;

    /// <summary>The echo reduction at which the canceller counts as converged (dB).</summary>
    public const double ConvergedErleDb = 15;

    /// <summary>Echo return loss enhancement of the canceller: its own measure, or the one learned
    /// here (smoothed over echo-only windows).</summary>
    public double ErleDb => CancellerErleDb ?? _erleDb;

    public bool Converged => ErleDb >= ConvergedErleDb;

    /// <summary>Set by the engine for the first moments of a new stream of played audio: its
    /// placement comes from a time stamp and may be a sample or two off until the echo itself
    /// has lined it up, so the canceller may leave more echo than usual. Meanwhile only a user
    /// clearly louder than the echo gets through, as before convergence.</summary>
    public bool Settling { get; set; }

    /// <summary>True when the window may hold the user; false when it is (mostly) the agent's echo.</summary>
    public bool MayBeUser(EchoWindowLevels levels)
    {
        var removed = levels.MicDb - levels.ResidualDb;
        var margin = Converged && !Settling ? convergedMarginDb : learningMarginDb;
        var loudEnough = levels.MicDb >= levels.LoudestReferenceDb + CouplingDb + margin;
        var user = removed <= dominanceDb && loudEnough;
        if (!user && levels.MicDb > LearnFloorDb) Learn(levels, removed);
        return user;
    }

    private void Learn(EchoWindowLevels levels, double removed)
    {
        // Only windows where the agent's audio is clearly present teach anything.
        if (levels.LoudestReferenceDb < LearnReferenceFloorDb) return;
        _erleDb += ErleSmoothing * (removed - _erleDb);
        // Only windows the canceller explained teach the coupling: a window held back for another
        // reason may hold a quiet user, whose level says nothing about the echo path.
        if (removed <= dominanceDb) return;
        var coupling = levels.MicDb - levels.LoudestReferenceDb;
        // The initial value is a cautious guess: it sinks fast toward what the first two seconds
        // of explained echo show, then slowly. Louder measurements pull it up a quarter of the
        // way at a time, so one odd window does not close the gate on the user.
        var decay = _explained++ < LearningWindows ? FastCouplingDecayPerWindow : CouplingDecayPerWindow;
        _couplingDb = coupling > _couplingDb ? _couplingDb + CouplingRise * (coupling - _couplingDb) : Math.Max(coupling, _couplingDb - decay);
    }
}

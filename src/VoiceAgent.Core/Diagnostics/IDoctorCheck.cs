namespace VoiceAgent.Core.Diagnostics;

/// <summary>
/// One row of <c>voice-agent doctor</c>: something the assistant will use, and whether it works.
/// </summary>
/// <remarks>
/// Adding a row is one class: implement this interface in the module that owns the thing checked
/// (its constructor may take the settings records and probes the host registers, see
/// <c>DoctorServices</c> in src/VoiceAgent), then add one <c>AddDoctorCheck&lt;YourCheck&gt;()</c>
/// line to <c>DoctorServices.AddDoctor</c> where the row should appear. Checks run concurrently,
/// each under a time limit: honour the cancellation token in every wait (a check that does not
/// is abandoned and shown as failing). Never put a secret in a row; use
/// <see cref="DoctorText.MaskSecret"/>.
/// </remarks>
public interface IDoctorCheck
{
    /// <summary>What the row is about ("microphone", "VAD model"); used when the check cannot answer.</summary>
    string Name { get; }

    /// <summary>The check waits on another machine (an HTTP or WebSocket endpoint): it gets the
    /// doctor's short time limit (<c>--timeout</c>), so an endpoint that never answers costs only
    /// that. Local work (loading a library or model, starting the embedded server) gets a longer
    /// one: on a busy machine it is slow, not broken.</summary>
    bool Remote => false;

    Task<DoctorRow> RunAsync(CancellationToken cancellationToken);
}

public enum DoctorStatus
{
    Ok,
    /// <summary>Not installed, not configured, not found: something to add.</summary>
    Missing,
    /// <summary>Present but not working: unreachable, rejected, broken.</summary>
    Failing,
    /// <summary>This configuration does not use it (shown for completeness, with how to use it).</summary>
    NotUsed,
}

/// <summary>A doctor row. <paramref name="Fix"/> is the one command (or setting) that fixes a
/// missing or failing row. <paramref name="Needed"/>: the configured path uses it, so a problem
/// here means the assistant cannot run as configured (doctor exits 1).</summary>
public sealed record DoctorRow(string Check, DoctorStatus Status, string Detail, string Fix = "", bool Needed = true)
{
    /// <summary>The configured path cannot run while this row is not fixed.</summary>
    public bool Blocks => Needed && Status is DoctorStatus.Missing or DoctorStatus.Failing;

    public static DoctorRow Ok(string check, string detail) => new(check, DoctorStatus.Ok, detail);

    public static DoctorRow Missing(string check, string detail, string fix, bool needed = true) => new(check, DoctorStatus.Missing, detail, fix, needed);

    public static DoctorRow Failing(string check, string detail, string fix, bool needed = true) => new(check, DoctorStatus.Failing, detail, fix, needed);

    public static DoctorRow NotUsed(string check, string detail, string fix = "") => new(check, DoctorStatus.NotUsed, detail, fix, Needed: false);
}

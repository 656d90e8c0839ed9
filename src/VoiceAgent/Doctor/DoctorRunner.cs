using VoiceAgent.Core.Diagnostics;

namespace VoiceAgent.Doctor;

/// <summary>How long each doctor check may take: <paramref name="Timeout"/> for one that waits on
/// an endpoint (<see cref="IDoctorCheck.Remote"/>), <paramref name="LocalTimeout"/> (never less)
/// for local work.</summary>
public sealed record DoctorOptions(TimeSpan Timeout, TimeSpan? LocalTimeout = null)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan DefaultLocalTimeout = TimeSpan.FromSeconds(30);

    public TimeSpan LimitFor(IDoctorCheck check) =>
        check.Remote ? Timeout : TimeSpan.FromTicks(Math.Max(Timeout.Ticks, (LocalTimeout ?? DefaultLocalTimeout).Ticks));
}

/// <summary>The rows, in order, and what they mean for the configured path.</summary>
public sealed record DoctorReport(IReadOnlyList<DoctorRow> Rows)
{
    /// <summary>No row the configured path needs is missing or failing.</summary>
    public bool CanRun => !Rows.Any(r => r.Blocks);

    public int ExitCode => CanRun ? 0 : 1;
}

/// <summary>
/// Runs every registered <see cref="IDoctorCheck"/> at once, each under its own time limit, so an
/// endpoint that never answers costs at most that limit and never hangs the doctor. A check that
/// overruns (even one that ignores its token) or throws becomes a failing row; rows keep the order
/// in which the checks were registered.
/// </summary>
public sealed class DoctorRunner(IEnumerable<IDoctorCheck> checks, DoctorOptions options)
{
    public async Task<DoctorReport> RunAsync(CancellationToken cancellationToken = default) =>
        new(await Task.WhenAll(checks.Select(check => RunOneAsync(check, cancellationToken))));

    private async Task<DoctorRow> RunOneAsync(IDoctorCheck check, CancellationToken cancellationToken)
    {
        var allowed = options.LimitFor(check);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(allowed);
        try
        {
            // On the pool: a check that blocks before its first await does not hold up the others.
            // WaitAsync stops waiting at the limit even if the check itself does not notice it.
            return await Task.Run(() => check.RunAsync(limit.Token), CancellationToken.None).WaitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return DoctorRow.Failing(check.Name, $"no answer within {allowed.TotalSeconds:0.#} s",
                check.Remote ? $"voice-agent doctor --timeout {Math.Ceiling(allowed.TotalSeconds * 3):0}   (if it is only slow)" : "");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return DoctorRow.Failing(check.Name, $"the check failed: {DoctorText.OneLine(e.Message)}", "");
        }
    }
}

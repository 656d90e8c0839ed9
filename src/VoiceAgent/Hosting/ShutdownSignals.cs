using System.Runtime.InteropServices;

namespace VoiceAgent.Hosting;

/// <summary>
/// SIGINT (Ctrl+C), SIGTERM (kill, systemd, docker stop) and SIGHUP (the terminal closed) ask the
/// program to stop: <see cref="Token"/> is cancelled and every command winds down cleanly
/// (sockets closed with 1001, files flushed). A second signal stops the process at once.
/// One instance per process (<see cref="Process"/>), registered when first used.
/// </summary>
public sealed class ShutdownSignals : IDisposable
{
    private static readonly Lazy<ShutdownSignals> Instance = new(() => new ShutdownSignals());

    private readonly CancellationTokenSource _stop = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _received;

    private ShutdownSignals()
    {
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP })
        {
            try
            {
                _registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
            }
            catch (PlatformNotSupportedException)
            {
                // SIGHUP has no equivalent on some platforms; the others still work.
            }
        }
    }

    public static ShutdownSignals Process => Instance.Value;

    /// <summary>Cancelled by the first stop signal.</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>The signal that asked to stop, if any.</summary>
    public PosixSignal? Received { get; private set; }

    /// <summary>The shell convention for a job ended by a signal: 128 + its number (130 for
    /// Ctrl+C, 143 for SIGTERM, 129 for SIGHUP).</summary>
    public int InterruptedExitCode => 128 + Received switch
    {
        PosixSignal.SIGHUP => 1,
        PosixSignal.SIGTERM => 15,
        _ => 2,
    };

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref _received) > 1) return; // the second one: the default action, stop now
        context.Cancel = true;
        Received = context.Signal;
        _stop.Cancel();
    }

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
    }
}

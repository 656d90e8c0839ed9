namespace VoiceAgent.Speech.Telnyx;

/// <summary>
/// The Telnyx TTS WebSocket client: one socket per agent turn. With pre-warming, the next turn's
/// socket is connected and handshaken ahead of time (after each turn starts, and when the user
/// starts talking), so a turn's first text goes out with no connect delay. A warm socket that
/// the server closed, or that is close to the server's inactivity timeout, is replaced.
/// </summary>
public sealed class TelnyxSpeechSynthesizer : ISpeechSynthesizer
{
    private readonly TelnyxTtsOptions _options;
    private readonly CancellationTokenSource _life = new();
    private readonly object _gate = new();
    private Task<TelnyxConnection>? _warm;

    public TelnyxSpeechSynthesizer(TelnyxTtsOptions options, string description)
    {
        _options = options;
        Description = description;
    }

    public string Description { get; }

    /// <summary>Where this client connects and with which key (the key routing tests read it).</summary>
    internal TelnyxTtsOptions Options => _options;

    public int OutputSampleRate => _options.Settings.OutputSampleRate;

    public async Task<ISpeechStream> OpenAsync(Core.Protocol.TurnId turn, CancellationToken ct)
    {
        var connection = await TakeWarmAsync(ct) ?? await TelnyxConnection.OpenAsync(_options, ct);
        if (_options.Settings.Prewarm) WarmUp();
        try
        {
            return new TelnyxSpeechStream(connection, _options);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public void WarmUp()
    {
        if (!_options.Settings.Prewarm || _life.IsCancellationRequested) return;
        Task<TelnyxConnection>? stale = null;
        lock (_gate)
        {
            if (_warm is { } current)
            {
                var usable = !current.IsCompleted || (current.IsCompletedSuccessfully && IsFresh(current.Result));
                if (usable) return;
                stale = current;
            }
            _warm = TelnyxConnection.OpenAsync(_options, _life.Token);
            // A failed warm-up is not an error: the turn connects itself and reports what is wrong.
            _warm.ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
        }
        if (stale is { IsCompletedSuccessfully: true }) _ = stale.Result.DisposeAsync().AsTask();
    }

    /// <summary>True when a socket opened with <see cref="WarmUp"/> is ready to take over a turn.</summary>
    internal bool HasWarmConnection
    {
        get
        {
            lock (_gate) return _warm is { IsCompletedSuccessfully: true } t && IsFresh(t.Result);
        }
    }

    private async Task<TelnyxConnection?> TakeWarmAsync(CancellationToken ct)
    {
        Task<TelnyxConnection>? warm;
        lock (_gate)
        {
            warm = _warm;
            _warm = null;
        }
        if (warm is null) return null;
        TelnyxConnection connection;
        try
        {
            connection = await warm.WaitAsync(ct);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            return null; // connect fresh; that attempt reports the reason
        }
        if (IsFresh(connection)) return connection;
        await connection.DisposeAsync();
        return null;
    }

    /// <summary>Alive, and not about to hit the server's inactivity timeout.</summary>
    private bool IsFresh(TelnyxConnection connection)
    {
        var limit = TimeSpan.FromSeconds(Math.Max(1, _options.Settings.InactivityTimeoutSeconds - 3));
        return connection.IsAlive && connection.Age < limit;
    }

    public async ValueTask DisposeAsync()
    {
        Task<TelnyxConnection>? warm;
        lock (_gate)
        {
            warm = _warm;
            _warm = null;
        }
        await _life.CancelAsync();
        if (warm is not null)
        {
            try { await (await warm).DisposeAsync(); } catch { /* never connected */ }
        }
    }
}

using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Speech.Tests;

/// <summary>
/// An engine the test drives by hand. Its streams keep delivering whatever the test pushes, even
/// after an interrupt, like a server whose audio is still in flight: the actor must filter.
/// </summary>
internal sealed class ScriptedSynthesizer(int outputRate = 24_000) : ISpeechSynthesizer
{
    public ConcurrentQueue<ScriptedStream> Streams { get; } = new();

    /// <summary>When set, OpenAsync waits for it (a slow connect).</summary>
    public TaskCompletionSource? OpenGate { get; set; }

    public Exception? OpenFailure { get; set; }

    public int WarmUps;

    public string Description => "scripted";

    public int OutputSampleRate { get; } = outputRate;

    public async Task<ISpeechStream> OpenAsync(TurnId turn, CancellationToken ct)
    {
        if (OpenGate is { } gate) await gate.Task.WaitAsync(ct);
        if (OpenFailure is { } failure) throw failure;
        var stream = new ScriptedStream(turn);
        Streams.Enqueue(stream);
        return stream;
    }

    public void WarmUp() => Interlocked.Increment(ref WarmUps);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

internal sealed class ScriptedStream(TurnId turn) : ISpeechStream
{
    private readonly Channel<SpeechEvent> _events = Channel.CreateUnbounded<SpeechEvent>();

    public TurnId Turn { get; } = turn;
    public ConcurrentQueue<string> Sent { get; } = new();
    public volatile bool Completed;
    public volatile bool Interrupted;
    public volatile bool Disposed;

    public void Push(SpeechEvent e) => _events.Writer.TryWrite(e);

    public void End(Exception? error = null) => _events.Writer.TryComplete(error);

    public Task SendTextAsync(string text, CancellationToken ct)
    {
        Sent.Enqueue(text);
        return Task.CompletedTask;
    }

    public Task CompleteAsync(CancellationToken ct)
    {
        Completed = true;
        return Task.CompletedTask;
    }

    public Task InterruptAsync(CancellationToken ct)
    {
        Interrupted = true;
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<SpeechEvent> ReadAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var e in _events.Reader.ReadAllAsync(CancellationToken.None))
            yield return e;
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}

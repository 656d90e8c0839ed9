using Akka.Actor;

namespace VoiceAgent.Pipeline;

/// <summary>How a pumped stream ended: every item was read, it was cancelled through the pump's
/// token, or reading it failed.</summary>
public abstract record PumpEnd
{
    private PumpEnd()
    {
    }

    public static readonly PumpEnd Completed = new CompletedEnd();

    public static readonly PumpEnd Cancelled = new CancelledEnd();

    public sealed record CompletedEnd : PumpEnd;

    public sealed record CancelledEnd : PumpEnd;

    /// <summary>Reading the stream threw <paramref name="Error"/> (an <see cref="OperationCanceledException"/>
    /// not caused by the pump's own token counts as a failure).</summary>
    public sealed record Failed(Exception Error) : PumpEnd;
}

/// <summary>
/// Reads an asynchronous stream on a task of its own and turns what it yields into messages for an
/// actor, so the actor handles every piece in its mailbox, in order, and never blocks on the stream.
/// </summary>
public static class MailboxPump
{
    /// <summary>Starts reading <paramref name="source"/>. Each item is told to <paramref name="target"/>
    /// as the message <paramref name="toMessage"/> makes of it; when the stream ends, the message
    /// <paramref name="toEndMessage"/> makes of how it ended is told last. Either function may return
    /// null to tell nothing. Both run on the pump's task, not on the actor's: they must not touch
    /// actor state. The returned task completes after the last message was told.</summary>
    public static Task Start<T>(IAsyncEnumerable<T> source, IActorRef target, Func<T, object?> toMessage,
        Func<PumpEnd, object?> toEndMessage, CancellationToken cancellation)
    {
        return Task.Run(async () =>
        {
            var end = await Drain(source, target, toMessage, cancellation);
            var last = toEndMessage(end);
            if (last is not null) target.Tell(last, ActorRefs.NoSender);
        }, CancellationToken.None);
    }

    private static async Task<PumpEnd> Drain<T>(IAsyncEnumerable<T> source, IActorRef target, Func<T, object?> toMessage,
        CancellationToken cancellation)
    {
        try
        {
            await foreach (var item in source.WithCancellation(cancellation))
            {
                var message = toMessage(item);
                if (message is not null) target.Tell(message, ActorRefs.NoSender);
            }
            return PumpEnd.Completed;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return PumpEnd.Cancelled;
        }
        catch (Exception e)
        {
            return new PumpEnd.Failed(e);
        }
    }
}

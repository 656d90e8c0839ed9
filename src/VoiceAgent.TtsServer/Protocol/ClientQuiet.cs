namespace VoiceAgent.TtsServer.Protocol;

/// <summary>
/// The quiet-before-final rule: after boundary-driven work, a mid-stream final frame waits for
/// this much client silence, because a token stream still on the wire must not look like
/// finished input (clients written for the live service stop at the first final frame).
/// </summary>
internal sealed class ClientQuiet
{
    public static readonly TimeSpan Required = TimeSpan.FromMilliseconds(150);

    private long _lastFrameTicks = Environment.TickCount64;

    public void NoteFrame() => Volatile.Write(ref _lastFrameTicks, Environment.TickCount64);

    /// <summary>Returns once the client has sent nothing for <see cref="Required"/>, or as soon
    /// as <paramref name="moreWork"/> says there is something else to do.</summary>
    public async Task WaitAsync(Func<bool> moreWork, CancellationToken cancellation)
    {
        while (!moreWork())
        {
            var quiet = TimeSpan.FromMilliseconds(Environment.TickCount64 - Volatile.Read(ref _lastFrameTicks));
            if (quiet >= Required) return;
            await Task.Delay(Required - quiet, cancellation);
        }
    }
}

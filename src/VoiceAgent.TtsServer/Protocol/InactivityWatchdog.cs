using System.Net.WebSockets;

namespace VoiceAgent.TtsServer.Protocol;

/// <summary>Closes a session (1000, "inactivity timeout") once the socket has carried no frame
/// either way for the timeout while no synthesis was queued or running.</summary>
internal static class InactivityWatchdog
{
    public static async Task WatchAsync(SessionOutput output, WebSocket socket, TimeSpan timeout, Func<bool> busy, CancellationToken cancellation)
    {
        var limit = (long)timeout.TotalMilliseconds;
        var period = TimeSpan.FromMilliseconds(Math.Clamp(limit / 10, 50, 1000));
        try
        {
            while (!cancellation.IsCancellationRequested)
            {
                await Task.Delay(period, cancellation);
                if (busy())
                {
                    output.NoteActivity();
                    continue;
                }
                if (Environment.TickCount64 - output.LastActivity < limit) continue;
                await output.CloseAsync(WebSocketCloseStatus.NormalClosure, "inactivity timeout", cancellation);
                // The reader sees the client's close reply; if none comes, give up on the socket.
                await Task.Delay(SessionOutput.CloseHandshakeTimeout, cancellation);
                socket.Abort();
                return;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException)
        {
        }
    }
}

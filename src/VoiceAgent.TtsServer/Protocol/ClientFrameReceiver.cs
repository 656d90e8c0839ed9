using System.Net.WebSockets;
using VoiceAgent.Telnyx;

namespace VoiceAgent.TtsServer.Protocol;

/// <summary>What the client's next message turned out to be.</summary>
internal abstract record Incoming
{
    /// <summary>The client sent its close frame.</summary>
    public sealed record Closed : Incoming;

    public sealed record Frame(ClientFrame Value) : Incoming;

    /// <summary>A message the protocol refuses: the session answers with this error and close status.</summary>
    public sealed record Refused(string Message, WebSocketCloseStatus Status) : Incoming;
}

/// <summary>
/// Reads whole client messages off the socket within the frame size limit and validates them as
/// client frames. Once a close is under way, messages are read and dropped until the client's
/// close reply arrives.
/// </summary>
internal sealed class ClientFrameReceiver(WebSocket socket, SessionOutput output, int maxFrameBytes)
{
    // One byte past the limit, so a message of exactly the limit is told from a larger one.
    private readonly byte[] _buffer = new byte[maxFrameBytes + 1];

    public async Task<Incoming> ReceiveAsync(CancellationToken cancellation)
    {
        while (true)
        {
            var count = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (count >= _buffer.Length) return TooLarge();
                result = await socket.ReceiveAsync(_buffer.AsMemory(count), cancellation);
                if (result.MessageType == WebSocketMessageType.Close) return new Incoming.Closed();
                count += result.Count;
                if (count > maxFrameBytes) return TooLarge();
            } while (!result.EndOfMessage);

            output.NoteActivity();
            if (output.IsClosing) continue; // a close is under way: wait for the client's close reply
            if (result.MessageType == WebSocketMessageType.Binary)
                return new Incoming.Refused(ErrorMessages.BinaryFrame, WebSocketCloseStatus.InvalidMessageType);

            var frame = ClientFrame.Parse(_buffer.AsSpan(0, count), out var problem);
            return frame is null
                ? new Incoming.Refused($"{ErrorMessages.InvalidMessage}: {problem}", WebSocketCloseStatus.PolicyViolation)
                : new Incoming.Frame(frame);
        }
    }

    private Incoming TooLarge() => new Incoming.Refused(ErrorMessages.FrameTooLarge(maxFrameBytes), WebSocketCloseStatus.MessageTooBig);
}

using System.Net.WebSockets;
using VoiceAgent.Telnyx;
using VoiceAgent.TtsServer.Text;

namespace VoiceAgent.TtsServer.Protocol;

/// <summary>
/// A session's pipeline: speaks the queued segments one at a time and answers end of input and
/// checkpoints with a final frame once nothing is left to say.
/// </summary>
internal sealed class SessionPipeline(SessionWorkQueue queue, SessionOutput output, SegmentSpeaker speaker, ClientQuiet quiet, TextIntake text)
{
    private int _generationSpoken = -1; // the work whose audio the client has had (turns open when it changes)

    /// <summary>The handshake's voice speed.</summary>
    public double Speed { get; set; } = 1.0;

    public int SegmentsSpoken { get; private set; }

    /// <summary>Runs until end of input has been answered (true) or the session is over (false).
    /// A synthesis failure is thrown: the session tells the client.</summary>
    public async Task<bool> RunAsync(CancellationToken cancellation)
    {
        try
        {
            await foreach (var work in queue.ReadAllAsync(cancellation))
            {
                switch (work)
                {
                    case SessionWork.EndOfInput:
                        if (!output.LastSentFinal) await output.SendAsync(output.Generation, ServerFrame.Final, cancellation);
                        return true;
                    case SessionWork.Checkpoint checkpoint:
                        await AnswerCheckpointAsync(checkpoint, cancellation);
                        break;
                    case SessionWork.Speak { Segment: var segment }:
                        await SpeakAsync(segment, cancellation);
                        break;
                }
            }
            return false;
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException or ClientNotReadingException)
        {
            return false;
        }
    }

    private async Task AnswerCheckpointAsync(SessionWork.Checkpoint checkpoint, CancellationToken cancellation)
    {
        // A flush is answered at once; other work only once the client has gone quiet.
        if (!checkpoint.Flushed) await quiet.WaitAsync(() => queue.HasQueuedWork, cancellation);
        if (queue.PendingSegments == 0 && !output.LastSentFinal && text.IsBlank && !queue.HasQueuedWork)
            await output.SendAsync(checkpoint.Generation, ServerFrame.Final, cancellation);
    }

    private async Task SpeakAsync(Segment segment, CancellationToken cancellation)
    {
        try
        {
            if (segment.Generation == output.Generation && !segment.Cancellation.IsCancellationRequested)
            {
                // A turn opens with the session's first segment, after a force, and after a final frame.
                var opensTurn = segment.Generation != _generationSpoken || output.LastSentFinal;
                await speaker.SpeakAsync(segment, Speed, opensTurn, cancellation);
                _generationSpoken = segment.Generation;
                SegmentsSpoken++;
            }
        }
        catch (OperationCanceledException) when (segment.Cancellation.IsCancellationRequested && !cancellation.IsCancellationRequested)
        {
            // Forced: this segment's work was dropped.
        }
        finally
        {
            queue.SegmentDone(segment);
        }
    }
}

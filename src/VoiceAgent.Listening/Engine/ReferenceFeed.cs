using VoiceAgent.Core.Protocol;
using VoiceAgent.Dsp;

namespace VoiceAgent.Listening.Engine;

/// <summary>A piece of played audio at the capture rate, with the capture-clock time its first
/// sample reaches the microphone.</summary>
internal sealed record ReferencePiece(short[] Samples, TimeSpan HeardAt, bool Continues);

/// <summary>
/// Played audio as playback announces it (wall-clock stamps, the player's sample rate) turned
/// into pieces on the capture clock at the capture rate. Until the first microphone frame fixes
/// the capture clock, announcements are kept: the device may open late, or while the agent
/// speaks, and their echo is in the first frames.
/// </summary>
internal sealed class ReferenceFeed(CaptureClock clock)
{
    private const int MostAnnouncedBeforeCapture = 500; // 10 s of 20 ms pieces

    private readonly Queue<object> _beforeCapture = new();
    // A stream per rate: a resampler carries its filter state from one piece to the next.
    private readonly StreamResamplers<int> _resamplers = new(CaptureFormat.SampleRate);

    /// <summary>Keeps <paramref name="announced"/> (a <see cref="PlaybackReference"/> or
    /// <see cref="PlaybackReferenceCut"/>) while the capture clock is unknown; returns whether it did.</summary>
    public bool WaitsForCaptureClock(object announced)
    {
        if (clock.IsKnown) return false;
        if (_beforeCapture.Count == MostAnnouncedBeforeCapture) _beforeCapture.Dequeue();
        _beforeCapture.Enqueue(announced);
        return true;
    }

    /// <summary>What was kept before the capture clock was known, in the order it was announced.</summary>
    public IEnumerable<object> TakeAnnouncedBeforeCapture()
    {
        while (_beforeCapture.TryDequeue(out var announced)) yield return announced;
    }

    public ReferencePiece? ToCapture(PlaybackReference reference)
    {
        if (clock.ToCapture(reference.PlayedAt) is not { } heardAt) return null;
        var samples = _resamplers.Process(reference.SampleRate, reference.SampleRate, reference.Samples.Span);
        return new ReferencePiece(samples, heardAt, reference.Continues);
    }

    public TimeSpan? ToCapture(PlaybackReferenceCut cut) => clock.ToCapture(cut.From);
}

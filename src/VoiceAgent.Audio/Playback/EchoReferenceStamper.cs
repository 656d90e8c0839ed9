using VoiceAgent.Audio.Output;
using VoiceAgent.Dsp;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Audio.Playback;

/// <summary>
/// Writes pieces to the device and flushes it, reporting for each piece when the listener hears
/// it (<see cref="PlaybackReference"/>, the echo canceller's reference) and, for a flush, that the
/// audio the device dropped will never be heard (<see cref="PlaybackReferenceCut"/>).
/// </summary>
internal sealed class EchoReferenceStamper(IAudioOutput output, TimeProvider clock, Action<object> report)
{
    /// <summary>How much later than the last piece's end an exact device may start the next one
    /// and still be continuing: what the echo alignment tracker corrects (±3 samples).</summary>
    private static readonly TimeSpan ExactContinuationTolerance = TimeSpan.FromMilliseconds(0.25);

    // When the device will have played everything written, by the player's own count; null after
    // a flush. The device's latency figure cannot say whether a piece follows on: PulseAudio
    // interpolates it and reports zero now and then while audio is still queued.
    private DateTimeOffset? _deviceRunsDry;
    // Where the last piece was heard to end, by the device's latency figure.
    private DateTimeOffset? _lastHeardEnd;

    /// <summary>Writes <paramref name="piece"/> (unless the device is broken, when only its
    /// reference goes out) and returns what the device holds after it.</summary>
    public TimeSpan Write(short[] piece, bool outputBroken)
    {
        var latency = TimeSpan.Zero;
        var duration = Pcm16.Duration(piece.Length, output.SampleRate);
        // A device that has not run dry since the last piece plays this one right after it.
        var continues = !outputBroken && _deviceRunsDry is { } dry && clock.GetUtcNow() < dry;
        var now = clock.GetUtcNow();
        if (!outputBroken)
        {
            output.Write(piece);
            (latency, now) = LatencyNow();
        }
        // The latency now includes this piece: its first sample is heard one piece earlier.
        var firstHeard = now + latency - duration;
        if (continues && output.ExactLatency && _lastHeardEnd is { } previousEnd)
            (firstHeard, continues) = Recheck(firstHeard, latency, previousEnd);
        _lastHeardEnd = outputBroken ? null : firstHeard + duration;
        report(new PlaybackReference(piece, output.SampleRate, firstHeard, continues));
        _deviceRunsDry = outputBroken ? null : (continues ? _deviceRunsDry!.Value : Max(firstHeard, now)) + duration;
        return latency;
    }

    /// <summary>Drops what the device holds and returns how much that was. The echo reference
    /// of that audio is withdrawn, or a canceller would subtract an echo that never comes.</summary>
    public TimeSpan Flush()
    {
        var at = clock.GetUtcNow();
        var dropped = output.Flush();
        _deviceRunsDry = null;
        report(new PlaybackReferenceCut(at));
        return dropped;
    }

    /// <summary>
    /// "Continues" is judged before the write, by the player's own count. On a starved machine
    /// this thread can be held up inside the write long enough for the device to run dry first
    /// (traced: 49.6 ms blocked, 9.4 ms dry); announced as a continuation, the piece was placed
    /// 151 samples from its echo, the canceller removed nothing and the agent interrupted itself.
    /// A device whose latency is exact says where the piece really began: later than the last
    /// piece ended is a new stream (placed by its stamp); an empty device (the piece was played
    /// whole before the reading) says nothing about when, and the last piece's end does.
    /// </summary>
    private static (DateTimeOffset FirstHeard, bool Continues) Recheck(DateTimeOffset firstHeard, TimeSpan latency, DateTimeOffset previousEnd)
    {
        if (latency <= TimeSpan.Zero) return (previousEnd, true);
        return (firstHeard, firstHeard - previousEnd <= ExactContinuationTolerance);
    }

    /// <summary>The device's latency and the moment it held. On a busy machine this thread can
    /// be preempted between reading the latency and reading the clock, and the echo reference
    /// would be stamped late by as much; a reading whose clock moved more than a millisecond
    /// meanwhile is taken again (the tightest of three is kept).</summary>
    private (TimeSpan Latency, DateTimeOffset At) LatencyNow()
    {
        var best = (Latency: TimeSpan.Zero, At: clock.GetUtcNow(), Spread: TimeSpan.MaxValue);
        for (var attempt = 0; attempt < 3 && best.Spread > TimeSpan.FromMilliseconds(1); attempt++)
        {
            var before = clock.GetUtcNow();
            var latency = output.Latency;
            var after = clock.GetUtcNow();
            if (after - before < best.Spread) best = (latency, before + (after - before) / 2, after - before);
        }
        return (best.Latency, best.At);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}

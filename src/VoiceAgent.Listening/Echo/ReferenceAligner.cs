namespace VoiceAgent.Listening.Echo;

/// <summary>
/// Decides where each piece of played audio goes on the capture clock. An echo canceller needs
/// its reference where it was before, to the sample: half a millisecond off cancels nothing at
/// 1 kHz, and every move costs it a new convergence. Time stamps cannot give that: they carry
/// the error of the wall-clock-to-capture mapping, which shrinks in steps as faster frames
/// arrive, plus rounding and scheduling jitter. So:
/// <list type="bullet">
/// <item>a piece that continues the previous one in the device goes right after it;</item>
/// <item>the difference between stamps and placement (the stamps' offset) is tracked, and a new
/// stream (the first piece of a reply, or after a pause) is placed where its stamp says minus
/// that offset, so it lines up with the streams before it;</item>
/// <item>steps of the capture-clock mapping are applied to the offset at once
/// (<see cref="StampsShifted"/>), so a step during a pause does not move the next stream.</item>
/// </list>
/// A slow drift between playback and capture clocks shows in the offset; the canceller follows
/// it within a stream. When the offset has wandered further than <see cref="MaxOffsetMs"/>, the
/// next new stream is placed by its stamp alone (one new convergence, rather than an echo that
/// leaves the canceller's window). The limit is wide: on PulseAudio the offset was measured at
/// 50–311 samples (up to 19 ms) three seconds into a reply, with the echo where the offset put
/// it; an 8 ms limit dropped it there and placed the resumed stream that far from its echo.
/// </summary>
public sealed class ReferenceAligner(int sampleRate)
{
    public const double MaxOffsetMs = 50;

    // How quickly the offset follows the stamps of continuing pieces: about 20 pieces (0.4 s).
    private const double OffsetSmoothing = 0.05;
    private readonly double _maxOffset = sampleRate * MaxOffsetMs / 1000;
    private readonly long _jumpLimit = sampleRate / 50;  // 20 ms: a continuing piece stamped this far off is a new stream
    private long? _next;
    private double _offset;
    private bool _placedAny;

    /// <summary>Stamps minus placement, in samples.</summary>
    public double Offset => _offset;

    /// <summary>The capture index of a piece's first sample.</summary>
    /// <param name="stamped">Where its time stamp puts it.</param>
    /// <param name="length">Its length in capture samples.</param>
    /// <param name="continues">Whether the device plays it right after the previous piece.</param>
    public long Place(long stamped, int length, bool continues)
    {
        long at;
        if (continues && _next is { } next && Math.Abs(stamped - _offset - next) <= _jumpLimit)
        {
            at = next;
            _offset += OffsetSmoothing * (stamped - next - _offset);
        }
        else
        {
            if (Math.Abs(_offset) > _maxOffset) _offset = 0;
            at = stamped - (long)Math.Round(_offset);
        }
        _next = at + length;
        _placedAny = true;
        return at;
    }

    /// <summary>The device dropped what it held: the next piece starts a new stream.</summary>
    public void Cut() => _next = null;

    /// <summary>The placed reference was found <paramref name="earlier"/> samples late (from the
    /// audio, <see cref="EchoAlignmentTracker"/>) and moved: what follows goes that much earlier.</summary>
    public void Moved(long earlier)
    {
        if (_next is { } next) _next = next - earlier;
        _offset += earlier;
    }

    /// <summary>The mapping that produces the stamps moved: later stamps are
    /// <paramref name="samples"/> larger for the same moment.</summary>
    public void StampsShifted(long samples)
    {
        // Before the first piece there is nothing to line up with.
        if (_placedAny) _offset += samples;
    }
}

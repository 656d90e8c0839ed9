namespace VoiceAgent.Listening.Vad;

/// <summary>What one scored window meant.</summary>
/// <param name="Speech">The window counts as speech (with hysteresis: inside a segment a lower
/// probability still counts).</param>
/// <param name="Onset">A segment began; its time is <see cref="SegmentStart"/>.</param>
/// <param name="Offset">A segment ended (enough silence); it spanned
/// <see cref="SegmentStart"/>..<see cref="SegmentEnd"/>.</param>
public readonly record struct SegmentStep(
    TimeSpan WindowStart,
    TimeSpan WindowEnd,
    float Probability,
    bool Speech,
    bool Onset,
    bool Offset,
    TimeSpan SegmentStart,
    TimeSpan SegmentEnd);

/// <summary>
/// Turns per-window speech probabilities into speech segments: onset at the first window above
/// the threshold, end once the probability has stayed below a lower threshold (hysteresis) for
/// the minimum silence. Driven only by window timestamps (the audio clock).
/// </summary>
public sealed class SpeechSegmenter
{
    private readonly float _threshold;
    private readonly float _lowThreshold;
    private readonly TimeSpan _minSilence;
    private bool _inSpeech;
    private TimeSpan _segmentStart;
    private TimeSpan _lastSpeechEnd;

    public SpeechSegmenter(float threshold, TimeSpan minSilence)
    {
        if (threshold is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(threshold), "VAD threshold must be between 0 and 1.");
        _threshold = threshold;
        // The same hysteresis the Silero authors use: 0.15 below the onset threshold.
        _lowThreshold = Math.Max(threshold - 0.15f, 0.01f);
        _minSilence = minSilence;
    }

    public bool InSpeech => _inSpeech;

    public SegmentStep Step(TimeSpan windowStart, TimeSpan windowEnd, float probability)
    {
        var onset = false;
        var offset = false;
        bool speech;
        if (!_inSpeech)
        {
            speech = probability >= _threshold;
            if (speech)
            {
                _inSpeech = onset = true;
                _segmentStart = windowStart;
                _lastSpeechEnd = windowEnd;
            }
        }
        else
        {
            speech = probability >= _lowThreshold;
            if (speech) _lastSpeechEnd = windowEnd;
            else if (windowEnd - _lastSpeechEnd >= _minSilence)
            {
                _inSpeech = false;
                offset = true;
            }
        }
        return new SegmentStep(windowStart, windowEnd, probability, speech, onset, offset, _segmentStart, _lastSpeechEnd);
    }

    public void Reset() => _inSpeech = false;
}

using VoiceAgent.Dsp;
using VoiceAgent.Listening.Interruptions;
using VoiceAgent.Listening.Vad;

namespace VoiceAgent.Listening.Engine;

/// <summary>
/// Cuts what a recognizer is given out of the (echo-cancelled) capture audio: a finished
/// utterance, and the overlap heard so far over the paused agent. Both get the speech padding
/// before the onset, and neither is near-silent: Whisper invents words ("Thank you.") on
/// near-silence, so such audio never leaves here.
/// </summary>
public sealed class SpeechCuts(ListeningSettings settings, int sampleRate)
{
    private static readonly TimeSpan History = TimeSpan.FromSeconds(40);

    private readonly UtteranceBuffer _audio = new(sampleRate, History);

    public void Append(ReadOnlySpan<float> samples, long firstIndex) => _audio.Append(samples, firstIndex);

    /// <summary>The segment that just ended, if long enough and not near-silent.</summary>
    public UtteranceReady? Utterance(SegmentStep step)
    {
        if (step.SegmentEnd - step.SegmentStart < settings.MinSpeech) return null;
        var from = step.SegmentStart - settings.SpeechPadding;
        var to = step.SegmentEnd + settings.SpeechPadding;
        var samples = Cut(from, to);
        return samples is null ? null : new UtteranceReady(samples, from, to, step.WindowEnd) { Onset = step.SegmentStart };
    }

    /// <summary>The overlap a <see cref="BargeInAction.Transcribe"/> decision asks for: from the
    /// onset (padded) to the decision. Null when near-silent.</summary>
    public OverlapReady? Overlap(BargeInDecision decision)
    {
        var from = decision.Onset - settings.SpeechPadding;
        var samples = Cut(from, decision.At);
        return samples is null ? null : new OverlapReady(samples, decision.Onset, from, decision.At, decision.At);
    }

    private short[]? Cut(TimeSpan from, TimeSpan to)
    {
        var samples = _audio.Cut(from < TimeSpan.Zero ? TimeSpan.Zero : from, to);
        return samples.Length == 0 || Pcm16.RmsDbfs(samples) < settings.SilenceFloorDbfs ? null : samples;
    }
}

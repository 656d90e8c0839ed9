using VoiceAgent.Core.Protocol;
using VoiceAgent.Dsp;

namespace VoiceAgent.Listening.Turns;

/// <summary>
/// Follows the user's turn on the capture clock and decides when it has ended. Speech stretches
/// (from the VAD) and their transcripts (from the recognizer, in any order) are collected into one
/// turn; once the user is silent and every stretch has its words, the <see cref="ITurnEndDetector"/>
/// says how much silence after the last word ends the turn. Until then the words so far are a
/// <see cref="TranscriptPreliminary"/>; at the deadline they become the <see cref="TranscriptFinal"/>.
/// If the user speaks again first, <see cref="UserTurnContinued"/>, and the next words join the turn.
/// <para>
/// Time moves only with the audio (<see cref="Tick"/> with each processed window), so a recording
/// replays to the same decisions however fast it is fed. With <see cref="TurnDetector.Silence"/>
/// every transcript ends its turn as it arrives: the VAD's silence alone decided.
/// </para>
/// </summary>
public sealed class UserTurnTracker(TurnSettings settings, ITurnEndDetector detector, Func<TimeSpan, DateTimeOffset> wallClock)
{
    private readonly List<TurnSegment> _segments = [];
    private TimeSpan _now;
    private bool _speaking;
    // The words last published as preliminary, while they stand.
    private string? _preliminary;
    private (string Text, TurnEndDecision Decision)? _decided;

    /// <summary>With the word rules (<see cref="TurnDetector.Silence"/> asks no detector).</summary>
    public UserTurnTracker(TurnSettings settings, Func<TimeSpan, DateTimeOffset> wallClock)
        : this(settings, new WordTurnEndDetector(settings), wallClock)
    {
    }

    /// <summary>The capture-clock time the tracker has reached.</summary>
    public TimeSpan Now => _now;

    /// <summary>Audio has been processed up to <paramref name="now"/>.</summary>
    public IReadOnlyList<IPipelineEvent> Tick(TimeSpan now)
    {
        if (now > _now) _now = now;
        return Evaluate();
    }

    /// <summary>The VAD heard the user begin at <paramref name="onset"/>: a turn whose end was not
    /// yet decided goes on.</summary>
    public IReadOnlyList<IPipelineEvent> SpeechStarted(TimeSpan onset)
    {
        // The turn may have ended in the silence before this onset.
        var events = new List<IPipelineEvent>(Tick(onset));
        if (settings.Detector == TurnDetector.Silence) return events;
        _speaking = true;
        _segments.Add(new TurnSegment(onset));
        if (_preliminary is not null)
        {
            events.Add(new UserTurnContinued(wallClock(onset)));
            _preliminary = null;
        }
        return events;
    }

    /// <summary>The VAD's speech segment ended at <paramref name="end"/>;
    /// <paramref name="transcribed"/> when its audio went to the recognizer (too short or too
    /// quiet, it did not, and it adds no words).</summary>
    public IReadOnlyList<IPipelineEvent> SpeechFinished(TimeSpan end, bool transcribed)
    {
        if (settings.Detector == TurnDetector.Silence) return [];
        _speaking = false;
        if (_segments.LastOrDefault(s => s.End is null) is { } open)
        {
            if (transcribed) open.End = end;
            else _segments.Remove(open);
        }
        return Evaluate();
    }

    /// <summary>The recognizer's words for one utterance (possibly none). Returns the turn's
    /// preliminary or final transcript where this decides it.</summary>
    public IReadOnlyList<IPipelineEvent> Accept(UtteranceTranscript transcript)
    {
        if (settings.Detector == TurnDetector.Silence)
        {
            if (transcript.Text.Trim().Length == 0) return [];
            return [Final([new TurnSegment(transcript.Onset) { End = transcript.End, Transcript = transcript }], new TurnEndDecision(TimeSpan.Zero, "silence"))];
        }
        var segment = _segments.FirstOrDefault(s => s.End == transcript.End);
        if (segment is null)
        {
            // Not followed from its onset (the tracker started mid-utterance): it joins in order.
            segment = new TurnSegment(transcript.Onset) { End = transcript.End };
            _segments.Insert(_segments.Count(s => s.Onset < transcript.Onset), segment);
        }
        segment.Transcript = transcript;
        return Evaluate();
    }

    private IReadOnlyList<IPipelineEvent> Evaluate()
    {
        var events = new List<IPipelineEvent>();
        while (true)
        {
            // Stretches with no words (a cough the recognizer heard nothing in) start no turn.
            while (_segments.Count > 0 && _segments[0].Heard && _segments[0].Text.Length == 0) _segments.RemoveAt(0);
            if (_segments.Count == 0) return events;
            if (EndedBeforeLater() is { } ended)
            {
                events.Add(Final(_segments.Take(ended.Count).ToList(), ended.Decision));
                _segments.RemoveRange(0, ended.Count);
                continue;
            }
            if (_speaking || _segments.Any(s => !s.Heard)) return events;
            var text = Join(_segments);
            if (text.Length == 0)
            {
                _segments.Clear();
                return events;
            }
            var decision = Decide(_segments, text);
            if (_now >= _segments[^1].End + decision.Silence)
            {
                events.Add(Final([.. _segments], decision));
                _segments.Clear();
                return events;
            }
            if (_preliminary != text)
            {
                _preliminary = text;
                events.Add(new TranscriptPreliminary(text, wallClock(_segments[^1].End!.Value)));
            }
            return events;
        }
    }

    /// <summary>Words that came late, after the user had already begun again: if the silence
    /// before the next stretch was long enough to end the turn with the words up to it, the turn
    /// ended there, and the later stretch starts the next one.</summary>
    private (int Count, TurnEndDecision Decision)? EndedBeforeLater()
    {
        for (var i = 0; i + 1 < _segments.Count; i++)
        {
            if (!_segments[i].Heard) return null;
            var heard = _segments.Take(i + 1).ToList();
            var text = Join(heard);
            if (text.Length == 0) continue;
            var decision = Decide(heard, text);
            if (_segments[i + 1].Onset >= _segments[i].End + decision.Silence) return (i + 1, decision);
        }
        return null;
    }

    private TurnEndDecision Decide(IReadOnlyList<TurnSegment> segments, string text)
    {
        if (_decided is { } cached && cached.Text == text) return cached.Decision;
        var decided = detector.Decide(new TurnSoFar(LastAudio(segments), text));
        var silence = decided.Silence < settings.MinSilence ? settings.MinSilence
            : decided.Silence > settings.MaxSilence ? settings.MaxSilence : decided.Silence;
        var decision = decided with { Silence = silence };
        _decided = (text, decision);
        return decision;
    }

    private static ReadOnlyMemory<short> LastAudio(IReadOnlyList<TurnSegment> segments)
    {
        var max = Pcm16.SamplesFor(TurnSoFar.MaxAudio, CaptureFormat.SampleRate);
        var parts = segments.Select(s => s.Transcript!.Audio).ToList();
        if (parts.Count == 1) return parts[0].Length <= max ? parts[0] : parts[0][^max..];
        var all = parts.SelectMany(p => p.ToArray()).ToArray();
        return all.Length <= max ? all : all.AsMemory(all.Length - max);
    }

    private static string Join(IEnumerable<TurnSegment> segments) =>
        string.Join(' ', segments.Select(s => s.Text).Where(t => t.Length > 0));

    private TranscriptFinal Final(IReadOnlyList<TurnSegment> segments, TurnEndDecision decision)
    {
        _preliminary = null;
        _decided = null;
        var last = segments[^1];
        var end = last.End!.Value;
        var endedAt = wallClock(end);
        var length = segments.Sum(s => s.Transcript!.Audio.Length);
        return new TranscriptFinal(Join(segments), InputSource.Voice, endedAt)
        {
            Recognizer = last.Transcript!.Recognizer,
            SpeechLength = Pcm16.Duration(length, CaptureFormat.SampleRate),
            RecognitionLatency = last.Transcript.RecognizedAt - endedAt,
            EndOfTurnDelay = _now > end ? _now - end : TimeSpan.Zero,
            EndOfTurnReason = decision.Reason,
        };
    }
}

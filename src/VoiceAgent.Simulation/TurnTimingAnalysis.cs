using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Simulation;

/// <summary>
/// Measures a conversation the user starts: for each utterance, the moments its answer passed
/// through the pipeline (read from the timeline, where every event is stamped with the room
/// clock as it happened) and the moment the answer's first audio sounded (read from the played
/// track, so speaker buffering counts).
/// </summary>
internal static class TurnTimingAnalysis
{
    private const int RoomRate = CaptureFormat.SampleRate;

    public static IReadOnlyList<TurnTimingReport> Measure(IReadOnlyList<TimelineEntry> entries, short[] speaker, IReadOnlyList<UserSoundReport> sounds)
    {
        // A sound that continues the turn before it belongs to that turn: one answer for both.
        var userTurns = UserTurns.Turns(sounds.Where(s => s.IsSpeech).OrderBy(s => s.StartMs).ToList(), s => s.Continues);
        var turns = new List<TurnTimingReport>();
        for (var i = 0; i < userTurns.Count; i++)
        {
            var (first, last) = (userTurns[i][0], userTurns[i][^1]);
            var until = i + 1 < userTurns.Count ? userTurns[i + 1][0].StartMs : double.MaxValue;
            // Only what happened between this turn's onset and the next turn belongs to it.
            var window = entries.Where(e => Ms(e.At) >= first.OnsetMs && Ms(e.At) < until).ToList();
            var transcript = window.FirstOrDefault(e => e.Event is TranscriptFinal { Source: InputSource.Voice } && Ms(e.At) >= last.OnsetMs)
                ?? window.LastOrDefault(e => e.Event is TranscriptFinal { Source: InputSource.Voice });
            var ended = window.LastOrDefault(e => e.Event is UserSpeechEnded && (transcript is null || e.At <= transcript.At));
            var started = transcript is null ? null : AnswerTo(window, transcript);
            var turn = (started?.Event as AgentTurnStarted)?.Turn;
            var firstToken = window.FirstOrDefault(e => e.Event is AgentText t && t.Turn == turn);
            var latency = window.Select(e => e.Event).OfType<TurnLatency>().FirstOrDefault(l => l.Turn == turn);
            // A reply begun before the end of the turn (preemptive) is held silent until then.
            var firstAudio = started is null ? null : FirstSound(speaker, Math.Max(Ms(started.At), last.LastSoundMs), until);
            turns.Add(new TurnTimingReport(
                (transcript?.Event as TranscriptFinal)?.Text ?? "",
                last.LastSoundMs,
                ended is null ? null : Ms(ended.At),
                transcript is null ? null : Ms(transcript.At),
                firstToken is null ? null : Ms(firstToken.At),
                firstAudio)
            {
                PipelineVoiceToVoiceMs = latency?.VoiceToVoice is { } v ? Math.Round(v.TotalMilliseconds, 1) : null,
            });
        }
        return turns;
    }

    /// <summary>The answer to a transcript: the reply begun after it, or one begun before it (a
    /// preemptive reply) that then played.</summary>
    private static TimelineEntry? AnswerTo(IReadOnlyList<TimelineEntry> window, TimelineEntry transcript) =>
        window.FirstOrDefault(e => e.At >= transcript.At && e.Event is AgentTurnStarted)
        ?? window.LastOrDefault(e => e.At < transcript.At && e.Event is AgentTurnStarted started
            && window.Any(p => p.At >= transcript.At && p.Event is PlaybackStarted played && played.Turn == started.Turn));

    /// <summary>The first moment from <paramref name="fromMs"/> on at which the played track is not silent.</summary>
    private static double? FirstSound(short[] speaker, double fromMs, double untilMs)
    {
        var from = Math.Max(0, (int)(fromMs * RoomRate / 1000));
        var until = (int)Math.Min(speaker.Length, untilMs * RoomRate / 1000);
        for (var i = from; i < until; i++)
            if (Math.Abs((int)speaker[i]) > TimelineAnalysis.QuietSample) return Math.Round(i * 1000.0 / RoomRate, 1);
        return null;
    }

    private static double Ms(TimeSpan t) => Math.Round(t.TotalMilliseconds, 1);
}

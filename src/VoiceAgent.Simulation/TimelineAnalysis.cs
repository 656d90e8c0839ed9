using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Simulation;

/// <summary>
/// Reads a run's timeline (pipeline events stamped with room time) and the track the speakers
/// played, and measures each pause and interruption against the scripted user sounds.
/// </summary>
public static class TimelineAnalysis
{
    // The played track counts as silent below this (resampler ringing, dither).
    internal const int QuietSample = 8;
    private const int RoomRate = CaptureFormat.SampleRate;
    // A detection this long after a sound ended is not caused by it.
    private const double AttributionSlackMs = 500;

    public static ScenarioReport Analyze(Scenario scenario, string mode, IReadOnlyList<TimelineEntry> entries, short[] speaker, IReadOnlyList<UserSoundReport> sounds)
    {
        var pausesOrdered = entries.Where(e => e.Event is UserSpeechStarted { AgentTurn.IsNone: false }).ToList();
        var bargeIns = entries.Where(e => e.Event is BargeIn { Source: InputSource.Voice }).ToList();
        var dismissals = entries.Where(e => e.Event is UserSpeechDismissed).ToList();
        var resumes = entries.Where(e => e.Event is PlaybackResumed).Select(e => Ms(e.At)).ToList();
        var forces = entries.Where(e => e.Event is SpeechInterrupted).Select(e => ((SpeechInterrupted)e.Event).Method).ToList();
        var started = entries.FirstOrDefault(e => e.Event is PlaybackStarted);
        var ended = entries.FirstOrDefault(e => e.Event is AgentTurnEnded);
        var endOfTrack = speaker.Length * 1000.0 / RoomRate;

        var pauses = new List<PauseReport>();
        var interruptions = new List<InterruptionReport>();
        foreach (var pause in pausesOrdered)
        {
            // Detection is read on the capture clock (the room's timeline, where the recognizer
            // decided); the order to pause is observed when it happened, and playback's reaction
            // to it is read on the played track.
            var ordered = Ms(pause.At);
            var detected = pause.Event is UserSpeechStarted { DecidedAtCapture: { } decidedAt } ? Ms(decidedAt) : ordered;
            var cause = CauseOf(detected, sounds);
            var confirm = bargeIns.FirstOrDefault(b => b.At >= pause.At && !pausesOrdered.Any(p => p.At > pause.At && p.At < b.At));
            var dismiss = dismissals.FirstOrDefault(d => d.At >= pause.At && (confirm is null || d.At < confirm.At));
            var resumed = dismiss is null ? (double?)null : resumes.FirstOrDefault(r => r >= Ms(dismiss.At), double.NaN) is var r && !double.IsNaN(r) ? r : null;
            var silentUntil = resumed ?? endOfTrack;
            var silentAt = SilentFrom(speaker, ordered, silentUntil);
            var outcome = confirm is not null ? "interrupted" : dismiss is not null ? "dismissed" : "open";
            pauses.Add(new PauseReport(cause?.OnsetMs, detected, silentAt, outcome, resumed, cause?.Kind ?? "agent echo") { OrderedMs = ordered });
            if (confirm is not null)
            {
                var silent = silentAt ?? endOfTrack;
                interruptions.Add(new InterruptionReport(
                    cause?.OnsetMs,
                    detected,
                    confirm.Event is BargeIn { DecidedAtCapture: { } confirmedAt } ? Ms(confirmedAt) : Ms(confirm.At),
                    Round(silent),
                    cause is null ? null : Round(detected - cause.OnsetMs),
                    Round(Math.Max(0, silent - ordered)),
                    forces.Contains("force"),
                    cause?.IsSpeech == true));
            }
        }
        // A confirmation without a preceding pause (should not happen) still counts.
        foreach (var b in bargeIns.Where(b => !pausesOrdered.Any(p => p.At <= b.At)))
            interruptions.Add(new InterruptionReport(null, Ms(b.At), Ms(b.At), Ms(b.At), null, 0, forces.Contains("force"), false));

        var report = new ScenarioReport
        {
            Scenario = scenario.Name,
            Room = scenario.Room,
            MicrophoneMode = mode,
            ReplyStartedMs = started is null ? null : Ms(started.At),
            ReplyEndedMs = ended is null ? null : Ms(ended.At),
            ReplyOutcome = ended?.Event is AgentTurnEnded t ? t.Outcome.ToString().ToLowerInvariant() : "not ended",
            UserSounds = sounds,
            Interruptions = interruptions.Where(i => i.ByUser).ToList(),
            FalseInterruptions = interruptions.Count(i => !i.ByUser),
            Pauses = pauses,
            ResumesMs = resumes,
            ForceSent = forces,
            Turns = scenario.IsUserLed ? TurnTimingAnalysis.Measure(entries, speaker, sounds) : [],
            TurnTaking = TurnTakingAnalysis.Analyze(entries),
        };
        var failures = Check(scenario.Expect, report, started is not null);
        return report with { Failures = failures, Passed = failures.Count == 0 };
    }

    private static List<string> Check(Expectations expect, ScenarioReport report, bool replyPlayed)
    {
        var failures = new List<string>();
        if (!replyPlayed) failures.Add("the reply never started playing (is the embedded TTS server working?)");
        void Count(string what, int? expected, int actual)
        {
            if (expected is { } e && e != actual) failures.Add($"{what}: expected {e}, got {actual}");
        }
        Count("interruptions", expect.Interruptions, report.Interruptions.Count);
        Count("false interruptions", expect.FalseInterruptions, report.FalseInterruptions);
        Count("pauses", expect.Pauses, report.Pauses.Count);
        Count("resumes", expect.Resumes, report.ResumesMs.Count);
        Count("answered turns", expect.Turns, report.Turns.Count(t => t.FirstAudioMs is not null));
        var echoPauses = report.Pauses.Count(p => p.OnsetMs is null);
        if (expect.MaxEchoPauses is { } maxEcho && echoPauses > maxEcho)
            failures.Add($"pauses caused by the agent's own echo: {echoPauses} (at most {maxEcho})");
        foreach (var kind in expect.PausedBy.Where(k => !report.Pauses.Any(p => p.OnsetMs is not null && p.Cause.StartsWith(k, StringComparison.OrdinalIgnoreCase))))
            failures.Add($"no {kind} paused playback ({report.Pauses.Count} pause(s): {string.Join(", ", report.Pauses.Select(p => p.Cause))})");
        if (expect.Outcome is { } outcome && !string.Equals(outcome, report.ReplyOutcome, StringComparison.OrdinalIgnoreCase))
            failures.Add($"the reply was {report.ReplyOutcome}, expected {outcome}");
        foreach (var open in report.Pauses.Where(p => p.Outcome == "open"))
            failures.Add($"the pause at {open.DetectedMs:0} ms was neither confirmed nor dismissed");
        if (expect.Force is { } force && force != report.ForceSent.Contains("force"))
            failures.Add(force ? "no force frame was sent" : $"force was sent ({string.Join(", ", report.ForceSent)})");
        foreach (var pause in report.Pauses.Where(p => p.OnsetMs is not null))
        {
            var latency = pause.DetectedMs - pause.OnsetMs!.Value;
            if (expect.MaxDetectionMs is { } maxDetection && latency > maxDetection)
                failures.Add($"onset at {pause.OnsetMs:0} ms detected after {latency:0} ms (limit {maxDetection:0} ms)");
            if (expect.MaxSilentAfterDetectionMs is { } maxSilent && pause.PlaybackSilentMs is { } silent && silent - pause.OrderedMs > maxSilent)
                failures.Add($"playback silent {silent - pause.OrderedMs:0} ms after the pause was ordered at {pause.OrderedMs:0} ms (limit {maxSilent:0} ms)");
            if (expect.MaxSilentAfterDetectionMs is not null && pause.PlaybackSilentMs is null)
                failures.Add($"playback never went silent after detection at {pause.DetectedMs:0} ms");
        }
        TurnTakingAnalysis.Check(expect, report, failures);
        return failures;
    }

    /// <summary>The scripted sound that explains a detection at <paramref name="detectedMs"/>, if any.</summary>
    private static UserSoundReport? CauseOf(double detectedMs, IReadOnlyList<UserSoundReport> sounds) =>
        sounds.Where(s => s.StartMs <= detectedMs && detectedMs <= s.EndMs + AttributionSlackMs)
            .OrderByDescending(s => s.StartMs)
            .FirstOrDefault();

    /// <summary>The first moment at or after <paramref name="orderedMs"/> from which the played
    /// track stays silent for 100 ms (or up to <paramref name="untilMs"/>, when playback resumed
    /// sooner); null when it never does.</summary>
    private static double? SilentFrom(short[] speaker, double orderedMs, double untilMs)
    {
        var stretch = RoomRate / 10;
        var from = Math.Max(0, (int)(orderedMs * RoomRate / 1000));
        var until = Math.Min(speaker.Length, (int)(untilMs * RoomRate / 1000));
        var quietRun = 0;
        for (var i = from; i < until; i++)
        {
            quietRun = Math.Abs((int)speaker[i]) <= QuietSample ? quietRun + 1 : 0;
            var start = i - quietRun + 1;
            // Resume is stamped when observed, a little after the player starts again: a quiet
            // run that reaches to within 20 ms of it counts.
            if (quietRun >= stretch || (quietRun > 0 && i >= until - RoomRate / 50 - 1 && quietRun >= RoomRate / 50))
                return Round(start * 1000.0 / RoomRate);
        }
        // Silent to the end of the recording.
        return quietRun > 0 && until == speaker.Length ? Round((until - quietRun) * 1000.0 / RoomRate) : null;
    }

    private static double Ms(TimeSpan t) => Round(t.TotalMilliseconds);

    private static double Round(double ms) => Math.Round(ms, 1);
}

using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Simulation;

/// <summary>
/// Which of the agent's words were sounding in the room at a given time, estimated from the
/// timeline alone: each reply's text spread evenly (by characters) over the audio it played,
/// with the stretches between pauses and resumes laid end to end. Deliberately independent of
/// what the pipeline itself knows about the words it plays, so that a test double built on it
/// cannot agree with the pipeline by sharing its mistakes.
/// </summary>
public static class AgentSpeechEstimate
{
    /// <summary>How fast the embedded espeak-ng voice speaks at voice-speed 1.0 (about 175 words
    /// a minute), used for a reply whose played length is not known yet (still playing, or
    /// stopped before its end).</summary>
    public const double CharactersPerSecond = 14;

    /// <summary>The agent's words heard between <paramref name="from"/> and <paramref name="to"/>
    /// (room time), joined by spaces; "" when none. <paramref name="echoDelay"/>: played audio
    /// reaches the microphone this much later.</summary>
    public static string WordsHeard(IReadOnlyList<TimelineEntry> entries, TimeSpan from, TimeSpan to, TimeSpan echoDelay, TimeSpan now)
    {
        var words = new List<string>();
        foreach (var reply in Replies(entries, now))
            words.AddRange(reply.WordsBetween(from - echoDelay, to - echoDelay));
        return string.Join(' ', words);
    }

    private static IEnumerable<PlayedReply> Replies(IReadOnlyList<TimelineEntry> entries, TimeSpan now)
    {
        var replies = new Dictionary<TurnId, PlayedReply>();
        PlayedReply Of(TurnId turn) => replies.TryGetValue(turn, out var r) ? r : replies[turn] = new PlayedReply();
        foreach (var (at, e) in entries)
        {
            switch (e)
            {
                case AgentText text: Of(text.Turn).Streamed.Append(text.Delta); break;
                case AgentTextCompleted done: Of(done.Turn).FullText = done.FullText; break;
                case PlaybackStarted started: Of(started.Turn).Open(at); break;
                case PlaybackResumed resumed: Of(resumed.Turn).Open(at); break;
                case PlaybackPaused paused: Of(paused.Turn).Close(at); break;
                case PlaybackStopped stopped: Of(stopped.Turn).Close(at); break;
                case PlaybackFinished finished:
                    Of(finished.Turn).Close(at);
                    Of(finished.Turn).PlayedLength = finished.Played;
                    break;
            }
        }
        foreach (var reply in replies.Values) reply.Close(now);
        return replies.Values;
    }

    private sealed class PlayedReply
    {
        private readonly List<(TimeSpan From, TimeSpan To)> _stretches = [];
        private TimeSpan? _openSince;

        public System.Text.StringBuilder Streamed { get; } = new();
        public string? FullText { get; set; }

        /// <summary>Known once playback finished: how long the whole reply sounded.</summary>
        public TimeSpan? PlayedLength { get; set; }

        public void Open(TimeSpan at) => _openSince ??= at;

        public void Close(TimeSpan at)
        {
            if (_openSince is { } since && at > since) _stretches.Add((since, at));
            _openSince = null;
        }

        /// <summary>The words whose estimated sound overlaps [from, to] (room time of playing).</summary>
        public IEnumerable<string> WordsBetween(TimeSpan from, TimeSpan to)
        {
            var text = FullText ?? Streamed.ToString();
            var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (words.Length == 0) yield break;
            var playedFrom = PlayedBefore(from);
            var playedTo = PlayedBefore(to);
            if (playedTo <= playedFrom) yield break;
            var characters = words.Sum(w => w.Length + 1);
            var length = PlayedLength?.TotalSeconds ?? characters / CharactersPerSecond;
            var position = 0;
            foreach (var word in words)
            {
                var start = length * position / characters;
                position += word.Length + 1;
                var end = length * position / characters;
                if (start < playedTo.TotalSeconds && playedFrom.TotalSeconds < end) yield return word;
            }
        }

        /// <summary>How much of the reply had played by room time <paramref name="at"/>.</summary>
        private TimeSpan PlayedBefore(TimeSpan at) =>
            _stretches.Aggregate(TimeSpan.Zero, (sum, s) => sum + (at <= s.From ? TimeSpan.Zero : (at < s.To ? at : s.To) - s.From));
    }
}

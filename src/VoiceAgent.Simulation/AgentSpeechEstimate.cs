using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Simulation;

/// <summary>
/// Which of the agent's words were sounding in the room at a given time, estimated from the
/// timeline alone: each reply's text spread (by characters) over the audio it played, with the
/// stretches between pauses and resumes laid end to end. Playback's progress reports pin the
/// spread down: each says how much audio had played when a spoken segment (a sentence) had
/// been heard, so words are placed between those points, and after the last one at the voice's
/// usual rate. The speaking rate of a sentence varies too much to spread a whole reply evenly:
/// the estimate drifted by more than a sentence within ten seconds. The pipeline's echo check
/// keeps its own, coarser account (by sentence, with slack), which this does not use.
/// </summary>
public static class AgentSpeechEstimate
{
    /// <summary>How fast the embedded espeak-ng voice speaks at voice-speed 1.0 (about 175 words
    /// a minute), used past the last progress report.</summary>
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
                case PlaybackProgress progress: Of(progress.Turn).Heard(progress.Played, progress.HeardText); break;
                case PlaybackFinished finished:
                    Of(finished.Turn).Close(at);
                    Of(finished.Turn).Heard(finished.Played, finished.HeardText);
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

        // (audio played, characters of the text heard by then), in order; the reply starts at (0, 0).
        private readonly List<(double Seconds, int Characters)> _heard = [(0, 0)];

        public System.Text.StringBuilder Streamed { get; } = new();
        public string? FullText { get; set; }

        /// <summary>Playback had played <paramref name="played"/> of the reply when
        /// <paramref name="heardText"/> had been heard.</summary>
        public void Heard(TimeSpan played, string heardText)
        {
            var characters = heardText.Trim().Length + 1;
            if (characters > _heard[^1].Characters && played.TotalSeconds > _heard[^1].Seconds) _heard.Add((played.TotalSeconds, characters));
        }

        /// <summary>When (seconds of the reply's audio) its text reached character <paramref name="position"/>.</summary>
        private double SecondsAt(int position)
        {
            var after = _heard.FindIndex(h => h.Characters >= position);
            if (after == 0) return 0;
            if (after < 0)
            {
                var last = _heard[^1];
                return last.Seconds + (position - last.Characters) / CharactersPerSecond;
            }
            var (s0, c0) = _heard[after - 1];
            var (s1, c1) = _heard[after];
            return s0 + (s1 - s0) * (position - c0) / (c1 - c0);
        }

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
            var position = 0;
            foreach (var word in words)
            {
                var start = SecondsAt(position);
                position += word.Length + 1;
                var end = SecondsAt(position);
                if (start < playedTo.TotalSeconds && playedFrom.TotalSeconds < end) yield return word;
            }
        }

        /// <summary>How much of the reply had played by room time <paramref name="at"/>.</summary>
        private TimeSpan PlayedBefore(TimeSpan at) =>
            _stretches.Aggregate(TimeSpan.Zero, (sum, s) => sum + (at <= s.From ? TimeSpan.Zero : (at < s.To ? at : s.To) - s.From));
    }
}

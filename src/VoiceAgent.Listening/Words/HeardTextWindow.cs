using System.Text;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Listening.Words;

/// <summary>
/// What the agent's playback was saying when, on the capture clock, for a few seconds back: per
/// turn its text (as it streams), when its audio started and ended, and how many of its words had
/// been heard at each moment (<see cref="PlaybackProgress.HeardText"/> grows by a spoken segment,
/// a sentence or so, once its audio has been heard). At a moment, what was being played is the
/// text after the heard words up to the end of the next sentences.
/// </summary>
/// <param name="slack">Allowance either side of a span for the delay between the audio, the
/// microphone and the progress reports.</param>
/// <param name="history">How long a turn is kept after its audio ended.</param>
public sealed class HeardTextWindow(TimeSpan slack, TimeSpan history)
{
    /// <summary>Sentences after the heard text counted as being played: a spoken segment may
    /// hold more than one.</summary>
    private const int SentencesAhead = 2;

    private readonly Dictionary<TurnId, PlayedTurn> _turns = new();

    public static HeardTextWindow Default() => new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));

    /// <summary>Turns kept at most, whatever their state (a turn whose playback never reported
    /// an end is not kept for ever).</summary>
    private const int MaxTurns = 8;

    public void TurnStarted(TurnId turn)
    {
        Turn(turn);
        foreach (var old in _turns.Keys.OrderBy(t => t.Value).SkipLast(MaxTurns).ToList()) _turns.Remove(old);
    }

    public void Text(TurnId turn, string delta) => Turn(turn).Text.Append(delta);

    /// <summary>The turn's audio began to be heard at <paramref name="at"/>.</summary>
    public void PlaybackStarted(TurnId turn, TimeSpan at)
    {
        var played = Turn(turn);
        played.StartedAt ??= at;
        played.EndedAt = null;
    }

    public void Progress(TurnId turn, string heardText, TimeSpan at)
    {
        var played = Turn(turn);
        played.StartedAt ??= at;
        played.Heard.Add((at, SpokenWords.Of(heardText).Length));
    }

    /// <summary>The turn's audio finished or was stopped at <paramref name="at"/>, with
    /// <paramref name="heardText"/> heard: nothing after it was played.</summary>
    public void PlaybackEnded(TurnId turn, string heardText, TimeSpan at)
    {
        var played = Turn(turn);
        played.StartedAt ??= at;
        played.EndedAt = at;
        played.Heard.Add((at, SpokenWords.Of(heardText).Length));
        Forget(at - history);
    }

    /// <summary>The words playback may have been playing between <paramref name="from"/> and
    /// <paramref name="to"/> (capture clock), of every turn whose audio played then; empty
    /// when none did.</summary>
    public string PlayedDuring(TimeSpan from, TimeSpan to)
    {
        var earliest = from - slack;
        var latest = to + slack;
        var text = new List<string>();
        foreach (var turn in _turns.Values.Where(t => t.StartedAt is { } s && s <= latest && (t.EndedAt ?? TimeSpan.MaxValue) >= earliest))
        {
            var words = turn.Text.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            var first = Math.Min(words.Length, turn.HeardAt(earliest));
            var heard = Math.Min(words.Length, turn.HeardAt(latest));
            var last = turn.EndedAt is { } ended && ended <= latest ? heard : SentencesEnd(words, heard);
            text.AddRange(words[first..Math.Max(first, last)]);
        }
        return string.Join(' ', text);
    }

    private static int SentencesEnd(string[] words, int from)
    {
        var sentences = 0;
        for (var i = from; i < words.Length; i++)
            if (words[i].TrimEnd('"', '\'', ')').EndsWith(['.', '!', '?']) && ++sentences == SentencesAhead) return i + 1;
        return words.Length;
    }

    private PlayedTurn Turn(TurnId turn)
    {
        if (!_turns.TryGetValue(turn, out var played)) _turns[turn] = played = new PlayedTurn();
        return played;
    }

    private void Forget(TimeSpan before)
    {
        foreach (var (id, turn) in _turns.Where(t => t.Value.EndedAt is { } e && e < before).ToList()) _turns.Remove(id);
    }

    private sealed class PlayedTurn
    {
        public StringBuilder Text { get; } = new();
        public TimeSpan? StartedAt { get; set; }
        public TimeSpan? EndedAt { get; set; }
        public List<(TimeSpan At, int Words)> Heard { get; } = [];

        /// <summary>Words heard by <paramref name="at"/>.</summary>
        public int HeardAt(TimeSpan at) => Heard.LastOrDefault(h => h.At <= at).Words;
    }
}

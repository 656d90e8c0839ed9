using VoiceAgent.Core.Protocol;
using VoiceAgent.Listening.Interruptions;

namespace VoiceAgent.Listening.Words;

/// <summary>What becomes of a finished utterance's transcript.</summary>
public enum TranscriptFate
{
    /// <summary>The user's words: published.</summary>
    Keep,

    /// <summary>The agent's own voice heard back: dropped.</summary>
    Echo,

    /// <summary>Only a backchannel over the agent: not a turn of the user's.</summary>
    Backchannel,
}

/// <summary>A transcript's fate; <paramref name="Playing"/> is the played text an echo matched,
/// <paramref name="FirstOfSegment"/> whether this is the first time the segment's backchannel was
/// heard (it is counted and reported once, whether the overlap or the utterance heard it first);
/// <paramref name="AgentTurn"/>: the turn the segment spoke over.</summary>
public readonly record struct TranscriptVerdict(TranscriptFate Fate, string Playing = "", bool FirstOfSegment = false, TurnId AgentTurn = default);

/// <summary>
/// Judges what the recognizer heard against what the agent was saying, before anything is
/// published: the overlap heard while the agent is paused (does it confirm the barge-in?) and
/// each finished utterance (is it a turn of the user's?). Times are on the capture clock; a
/// speech segment is known by its onset.
/// <list type="bullet">
/// <item>Echo: words that match what playback was playing then (<see cref="EchoMatcher"/>), in
/// every microphone mode (a headset's leak, speakers in push-to-talk).</item>
/// <item>Backchannel: only backchannel phrases, over the agent.</item>
/// <item>Words: at least <c>minWords</c> other words.</item>
/// </list>
/// </summary>
public sealed class TranscriptScreen(BackchannelPhrases backchannels, int minWords, HeardTextWindow played)
{
    /// <summary>Segments remembered (onset → what happened over the agent).</summary>
    private const int KeptSegments = 16;

    private readonly Dictionary<TimeSpan, Segment> _segments = new();

    public HeardTextWindow Played => played;

    /// <summary>Transcripts dropped as the agent's own voice, since the start.</summary>
    public int EchoesDropped { get; private set; }

    /// <summary>Backchannels heard over the agent (once per speech segment), since the start.</summary>
    public int BackchannelsHeard { get; private set; }

    /// <summary>A speech segment began at <paramref name="onset"/> while the agent spoke
    /// <paramref name="agentTurn"/> (None when silent).</summary>
    public void SegmentBegan(TimeSpan onset, TurnId agentTurn)
    {
        _segments[onset] = new Segment(agentTurn);
        foreach (var old in _segments.Keys.Order().SkipLast(KeptSegments).ToList()) _segments.Remove(old);
    }

    /// <summary>The segment interrupted the agent: what it says is the user's, whatever it is.</summary>
    public void Interrupted(TimeSpan onset)
    {
        if (_segments.TryGetValue(onset, out var segment)) segment.Interrupted = true;
    }

    /// <summary>The words heard over the paused agent (a backchannel is not counted here: see
    /// <see cref="FirstBackchannel"/>), from <paramref name="from"/> to
    /// <paramref name="to"/>, of the segment begun at <paramref name="onset"/>.</summary>
    public HeardWords Overlap(string text, TimeSpan onset, TimeSpan from, TimeSpan to)
    {
        var words = SpokenWords.Of(text);
        if (words.Length == 0) return new HeardWords(WordsKind.Nothing, text);
        var playing = played.PlayedDuring(from, to);
        var playedWords = SpokenWords.Of(playing);
        if (IsEcho(words, playedWords))
        {
            EchoesDropped++;
            return new HeardWords(WordsKind.Echo, text, playing);
        }
        if (backchannels.AreAll(words)) return new HeardWords(WordsKind.Backchannel, text);
        // One word the agent was saying may be its echo or the user's first word: more speech tells.
        if (EchoMatcher.InPlayed(words, playedWords)) return new HeardWords(WordsKind.Nothing, text);
        return new HeardWords(backchannels.Remove(words).Count >= minWords ? WordsKind.Words : WordsKind.Nothing, text);
    }

    /// <summary>The transcript of a finished utterance (<paramref name="from"/> to
    /// <paramref name="to"/>) of the segment begun at <paramref name="onset"/>.</summary>
    public TranscriptVerdict Final(string text, TimeSpan onset, TimeSpan from, TimeSpan to)
    {
        var words = SpokenWords.Of(text);
        var playing = played.PlayedDuring(from, to);
        if (IsEcho(words, SpokenWords.Of(playing)))
        {
            EchoesDropped++;
            return new TranscriptVerdict(TranscriptFate.Echo, playing);
        }
        var segment = _segments.GetValueOrDefault(onset);
        if (segment is null || segment.AgentTurn.IsNone || segment.Interrupted || !backchannels.AreAll(words))
            return new TranscriptVerdict(TranscriptFate.Keep);
        return new TranscriptVerdict(TranscriptFate.Backchannel, FirstOfSegment: FirstBackchannel(onset), AgentTurn: segment.AgentTurn);
    }

    /// <summary>The agent's own words: by the matcher, or a backchannel the agent itself was
    /// saying ("Sure, here is…"). Either way the agent goes on; only the count differs, and a
    /// backchannel the agent said is not the user's.</summary>
    private bool IsEcho(IReadOnlyList<string> words, IReadOnlyList<string> played)
    {
        return EchoMatcher.IsEcho(words, played) || (backchannels.AreAll(words) && played.Count > 0 && EchoMatcher.Misses(words, played) == 0);
    }

    /// <summary>Whether the segment's backchannel is heard for the first time; if so it is
    /// counted (a segment's backchannel counts once, whether its overlap or its utterance heard it).</summary>
    public bool FirstBackchannel(TimeSpan onset)
    {
        if (_segments.TryGetValue(onset, out var segment))
        {
            if (segment.BackchannelHeard) return false;
            segment.BackchannelHeard = true;
        }
        BackchannelsHeard++;
        return true;
    }

    private sealed class Segment(TurnId agentTurn)
    {
        public TurnId AgentTurn { get; } = agentTurn;
        public bool Interrupted { get; set; }
        public bool BackchannelHeard { get; set; }
    }
}

using Akka.Actor;
using VoiceAgent.Audio.Room;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Simulation;

/// <summary>
/// The user's side of a conversation the user starts: each utterance is played into the room
/// <see cref="UserSound.At"/> seconds after the answer to the one before has ended, and each
/// answer is stopped <see cref="Scenario.StopReplyAfter"/> seconds after it starts playing, as
/// the console's /stop does. An utterance that gets no answer (nothing recognized) does not hold
/// up the rest: the next one follows <see cref="NoAnswerWait"/> after it ends. A sound that
/// <see cref="UserSound.Continues"/> the turn is played <see cref="UserSound.At"/> seconds after
/// the one before ends, answered or not; the turn's answer is the one begun after its last sound.
/// </summary>
internal sealed class UserTurns(
    Scenario scenario,
    VirtualRoom room,
    IReadOnlyList<(UserSound Sound, short[] Samples)> utterances,
    Func<UserSound, short[], TimeSpan, UserSoundReport> place)
{
    /// <summary>Recognition plus an answer's start take well under this, even on a loaded machine
    /// (seen: PocketSphinx taking 3 s for a 2 s utterance beside a build, and more than 5 s once,
    /// when 5 s here ended the run before the answer came).</summary>
    private static readonly TimeSpan NoAnswerWait = TimeSpan.FromSeconds(15);

    private readonly object _gate = new();
    // Room time of the latest answer's start, and how many begun answers have not ended.
    private TimeSpan? _answerStartedAt;
    private int _answersOpen;
    private bool _answerEnded;
    private IActorRef? _conversation;

    /// <summary>Called for every pipeline event as it is recorded (on the recorder's thread).</summary>
    public void Observe(TimelineEntry entry)
    {
        switch (entry.Event)
        {
            case AgentTurnStarted:
                lock (_gate)
                {
                    _answerStartedAt = entry.At;
                    _answersOpen++;
                }
                break;
            case PlaybackStarted started when scenario.StopReplyAfter is { } after:
                _ = StopLaterAsync(started.Turn, TimeSpan.FromSeconds(after));
                break;
            case AgentTurnEnded:
                lock (_gate)
                {
                    _answerEnded = true;
                    _answersOpen = Math.Max(0, _answersOpen - 1);
                }
                break;
        }
    }

    /// <summary>Plays the user's turns one answer after another; returns when the last answer has
    /// ended (or gone unanswered), or at the timeout.</summary>
    public async Task RunAsync(IActorRef conversation, Task timeout, CancellationToken cancellationToken)
    {
        _conversation = conversation;
        foreach (var turn in Turns(utterances))
        {
            lock (_gate)
            {
                _answerStartedAt = null;
                _answerEnded = false;
            }
            UserSoundReport? placed = null;
            foreach (var (sound, samples) in turn)
            {
                var at = placed is null ? room.Now : TimeSpan.FromMilliseconds(placed.EndMs);
                placed = place(sound, samples, at + TimeSpan.FromSeconds(sound.At));
            }
            // Only an answer begun after the turn's last sound answers the whole turn.
            var lastSound = TimeSpan.FromMilliseconds(placed!.LastSoundMs);
            var giveUpAt = TimeSpan.FromMilliseconds(placed.EndMs) + NoAnswerWait;
            while (!timeout.IsCompleted)
            {
                lock (_gate)
                {
                    var answered = _answerStartedAt >= lastSound;
                    if ((answered && _answerEnded && _answersOpen == 0) || (!answered && room.Now > giveUpAt)) break;
                }
                await Task.Delay(20, cancellationToken);
            }
            if (timeout.IsCompleted) return;
        }
    }

    /// <summary>The utterances grouped into the user's turns: each with the sounds that continue it.</summary>
    internal static IReadOnlyList<IReadOnlyList<T>> Turns<T>(IReadOnlyList<T> utterances, Func<T, bool> continues)
    {
        var turns = new List<List<T>>();
        foreach (var utterance in utterances)
        {
            if (turns.Count == 0 || !continues(utterance)) turns.Add([]);
            turns[^1].Add(utterance);
        }
        return turns;
    }

    private static IReadOnlyList<IReadOnlyList<(UserSound Sound, short[] Samples)>> Turns(IReadOnlyList<(UserSound Sound, short[] Samples)> utterances) =>
        Turns(utterances, u => u.Sound.Continues);

    private async Task StopLaterAsync(TurnId turn, TimeSpan after)
    {
        await Task.Delay(after);
        // Interrupt stops whatever turn is current: the answer is only stopped if it still is.
        lock (_gate)
        {
            if (_answerEnded) return;
        }
        _conversation?.Tell(new Interrupt($"scenario: stop {turn} after {after.TotalSeconds:0.##} s"));
    }
}

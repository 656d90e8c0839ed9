using Akka.Actor;
using Akka.Event;
using VoiceAgent.Audio.Output;
using VoiceAgent.Audio.Playback;
using VoiceAgent.Pipeline;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Audio;

/// <summary>
/// The speakers: adapts <see cref="AudioPlayer"/> to the pipeline. Plays <see cref="AudioChunk"/>s
/// in order; pauses on <see cref="UserSpeechStarted"/>, resumes on <see cref="UserSpeechDismissed"/>,
/// drops the turn on <see cref="BargeIn"/>. The player's reports are published on the EventStream;
/// the played audio goes to the RecognizerActor as <see cref="PlaybackReference"/> (echo reference).
/// </summary>
public sealed class PlaybackActor : ReceiveActor
{
    /// <summary>What others publish that playback acts on (the chunks themselves are told to it).</summary>
    public static readonly IReadOnlyList<Type> Facts =
        [typeof(SpeechCompleted), typeof(UserSpeechStarted), typeof(UserSpeechDismissed), typeof(BargeIn)];

    private readonly Func<IAudioOutput> _createOutput;
    private readonly IActorRef _recognizer;
    private readonly TimeSpan _piece;
    private readonly PipelineEvents _events;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private AudioPlayer? _player;
    private TurnId _pausedTurn = TurnId.None;

    /// <param name="createOutput">Opens the output; called at start and after a restart.</param>
    /// <param name="recognizer">Receives the echo reference (what was played, when).</param>
    public PlaybackActor(Func<IAudioOutput> createOutput, IActorRef recognizer, TimeSpan piece, TimeProvider? clock = null)
    {
        _createOutput = createOutput;
        _recognizer = recognizer;
        _piece = piece;
        _events = new PipelineEvents(Context.System, clock);

        Receive<AudioChunk>(m => Player.Enqueue(m));
        Receive<SpeechCompleted>(m => Player.Complete(m.Turn));
        Receive<UserSpeechStarted>(OnUserSpeechStarted);
        Receive<UserSpeechDismissed>(OnUserSpeechDismissed);
        Receive<BargeIn>(m =>
        {
            _pausedTurn = TurnId.None;
            Player.Stop(m.Turn);
        });
        Receive<PlayerReport>(m => Forward(m.Event));
    }

    private AudioPlayer Player => _player ?? throw new InvalidOperationException("playback is not running");

    protected override void PreStart()
    {
        var self = Self;
        var recognizer = _recognizer;
        _player = new AudioPlayer(_createOutput(), e =>
        {
            // The echo reference goes to the recognizer straight from the writer thread: through
            // this mailbox, on a busy machine, it could arrive after the microphone frame that
            // holds its echo.
            if (e is PlaybackReference or PlaybackReferenceCut) recognizer.Tell(e, self);
            else self.Tell(new PlayerReport(e));
        }, _piece, _events.Clock);
        Context.System.EventStream.Subscribe(Self, Facts);
    }

    protected override void PostStop()
    {
        Context.System.EventStream.Unsubscribe(Self);
        _player?.Dispose();
    }

    private void OnUserSpeechStarted(UserSpeechStarted m)
    {
        // Only a turn being spoken pauses: pausing a silent agent would hold back the next reply.
        if (m.AgentTurn.IsNone || !_pausedTurn.IsNone) return;
        _pausedTurn = m.AgentTurn;
        Player.Pause();
        _events.Publish(new PlaybackPaused(m.AgentTurn, _events.Now));
    }

    private void OnUserSpeechDismissed(UserSpeechDismissed m)
    {
        if (_pausedTurn.IsNone) return;
        var turn = _pausedTurn;
        _pausedTurn = TurnId.None;
        Player.Resume();
        _events.Publish(new PlaybackResumed(turn, _events.Now));
    }

    private void Forward(object report)
    {
        switch (report)
        {
            case PlaybackFailed failed:
                _log.Warning("Playback failed on {0}: {1}", failed.Device, failed.Reason);
                _events.Publish(failed);
                _events.Publish(new StatusNotice("playback", $"audio output {failed.Device} failed ({failed.Reason}); replies continue as text", NoticeLevel.Error));
                break;
            case IPipelineEvent pipelineEvent:
                _events.Publish(pipelineEvent);
                break;
        }
    }

    /// <summary>A report of the player, brought from its writer thread into the mailbox.</summary>
    private sealed record PlayerReport(object Event);
}

using Akka.Actor;
using VoiceAgent.Pipeline;
using VoiceAgent.Protocol;

namespace VoiceAgent.Listening;

/// <summary>
/// Decides what the user said and when they interrupt. Typed lines (text mode) and recognized
/// speech arrive here alike: if the agent is speaking, a <see cref="BargeIn"/> goes out first,
/// then the <see cref="TranscriptFinal"/>. With no recognizer the app stays in text mode.
/// </summary>
public sealed class RecognizerActor : ReceiveActor
{
    private readonly ListeningSettings _settings;
    private readonly ISpeechRecognizer? _recognizer;
    private readonly PipelineLinks _links;
    private TurnId _speakingTurn = TurnId.None;

    public RecognizerActor(ListeningSettings settings, ISpeechRecognizer? recognizer, PipelineLinks? links = null)
    {
        _settings = settings;
        _recognizer = recognizer;
        _links = links ?? new PipelineLinks(Context.System);

        Receive<TypedLine>(OnTypedLine);
        // Keeps order with the transcripts this actor has already passed to the conversation.
        Receive<NotifyWhenIdle>(m => _links.Tell<ConversationActorKey>(m, Sender));
        Receive<AudioFrame>(_ => { /* voice activity arrives with the listening engines */ });
        Receive<AgentTurnStarted>(m => _speakingTurn = m.Turn);
        Receive<AgentTurnEnded>(m =>
        {
            if (m.Turn == _speakingTurn) _speakingTurn = TurnId.None;
        });
    }

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(AgentTurnStarted));
        Context.System.EventStream.Subscribe(Self, typeof(AgentTurnEnded));
        var ready = _recognizer is null
            ? new RecognizerReady(false, "no speech recognizer: text mode (type to talk; typing while I speak interrupts me)")
            : new RecognizerReady(true, _recognizer.Description);
        _links.Publish(ready);
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    private void OnTypedLine(TypedLine line)
    {
        var text = line.Text.Trim();
        if (text.Length == 0) return;
        if (!_speakingTurn.IsNone && _settings.BargeInEnabled)
        {
            _links.BroadcastBargeIn(new BargeIn(_speakingTurn, InputSource.Keyboard, _links.Now), Self);
            _speakingTurn = TurnId.None;
        }
        var transcript = new TranscriptFinal(text, InputSource.Keyboard, _links.Now);
        _links.Tell<ConversationActorKey>(transcript, Self);
        _links.Publish(transcript);
    }
}

using System.Diagnostics;
using System.Threading.Channels;
using Akka.Actor;
using Akka.Hosting;
using VoiceAgent.Audio;
using VoiceAgent.Conversation;
using VoiceAgent.Pipeline;
using VoiceAgent.Core.Protocol;
using VoiceAgent.Speech;
using VoiceAgent.Speech.Telnyx;

namespace VoiceAgent.Pipeline.Benchmarks;

/// <summary>
/// The real actors of a turn, as the app wires them: ConversationActor (offline responder, no
/// word delay), TtsActor (the assistant's TTS client, pre-warmed) and PlaybackActor (on a
/// recording output). A turn starts the way the RecognizerActor starts one: the transcript is
/// told to the conversation and published.
/// </summary>
internal sealed class ActorPipeline : ITurnPipeline
{
    private readonly ActorSystem _system;
    private readonly IActorRef _conversation;
    private readonly TelnyxSpeechSynthesizer _synthesizer;
    private readonly Channel<AgentTurnEnded> _ended = Channel.CreateUnbounded<AgentTurnEnded>();

    public ActorPipeline(Uri server)
    {
        Output = new RecordingOutput(TimingTtsServer.SampleRate);
        _synthesizer = new TelnyxSpeechSynthesizer(TelnyxTtsOptions.ForUrl(server), "timing server");
        _system = ActorSystem.Create("overhead", "akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING\nakka.log-dead-letters = off");
        var synthesizer = _synthesizer;
        var output = Output;
        var engine = new ConversationEngine(new OfflineResponder(TimeSpan.Zero), new ConversationSettings(), OfflineResponder.Name);
        // Wired as the composition root wires them: peers in the constructor, facts subscribed at once.
        var playback = _system.ActorOf(Props.Create(() => new PlaybackActor(() => output, ActorRefs.Nobody, TimeSpan.FromMilliseconds(20), null)), "playback");
        _system.EventStream.Subscribe(playback, PlaybackActor.Facts);
        var tts = _system.ActorOf(Props.Create(() => new TtsActor(synthesizer, BargeInPolicy.Force, playback, null)), "tts");
        _system.EventStream.Subscribe(tts, TtsActor.Facts);
        _conversation = _system.ActorOf(Props.Create(() => new ConversationActor(engine, null, null, null, true)), "conversation");
        _system.EventStream.Subscribe(_conversation, ConversationActor.Facts);
        var ended = _ended.Writer;
        _system.ActorOf(Props.Create(() => new TurnEndWatcher(ended)), "turn-ends");
    }

    public string Name => "actors";

    public RecordingOutput Output { get; }

    public void WarmUp() => _synthesizer.WarmUp();

    public async Task<long> RunTurnAsync(string userText)
    {
        var transcriptAt = Stopwatch.GetTimestamp();
        var transcript = new TranscriptFinal(userText, InputSource.Voice, DateTimeOffset.UtcNow);
        _system.EventStream.Publish(transcript);
        await _ended.Reader.ReadAsync();
        return transcriptAt;
    }

    public async ValueTask DisposeAsync()
    {
        await _system.Terminate();
        await _synthesizer.DisposeAsync();
    }

    /// <summary>Hands every turn end to the benchmark.</summary>
    private sealed class TurnEndWatcher : ReceiveActor
    {
        public TurnEndWatcher(ChannelWriter<AgentTurnEnded> ended) => Receive<AgentTurnEnded>(m => ended.TryWrite(m));

        protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(AgentTurnEnded));
    }
}

using System.Diagnostics;
using VoiceAgent.Audio.Playback;
using VoiceAgent.Conversation;
using VoiceAgent.Core.Protocol;
using VoiceAgent.Speech;
using VoiceAgent.Speech.Telnyx;

namespace VoiceAgent.Pipeline.Benchmarks;

/// <summary>
/// The same engines the actors drive, called directly in one method: the conversation engine's
/// reply streamed into the TTS client's stream, its audio straight into the audio player. What
/// the actors add is the difference between the two.
/// </summary>
internal sealed class BareEngines : ITurnPipeline
{
    private readonly TelnyxSpeechSynthesizer _synthesizer;
    private readonly ConversationEngine _engine = new(new OfflineResponder(TimeSpan.Zero), new ConversationSettings(), OfflineResponder.Name);
    private readonly AudioPlayer _player;
    private TurnId _turn = TurnId.None;

    public BareEngines(Uri server)
    {
        Output = new RecordingOutput(TimingTtsServer.SampleRate);
        _synthesizer = new TelnyxSpeechSynthesizer(TelnyxTtsOptions.ForUrl(server), "timing server");
        _player = new AudioPlayer(Output, _ => { }, TimeSpan.FromMilliseconds(20));
    }

    public string Name => "bare engines";

    public RecordingOutput Output { get; }

    public void WarmUp() => _synthesizer.WarmUp();

    public async Task<long> RunTurnAsync(string userText)
    {
        var transcriptAt = Stopwatch.GetTimestamp();
        var turn = _turn = _turn.Next();
        var stream = await _synthesizer.OpenAsync(turn, CancellationToken.None);
        await using (stream)
        {
            var reply = new System.Text.StringBuilder();
            await foreach (var delta in _engine.ReplyAsync(userText, CancellationToken.None))
            {
                reply.Append(delta);
                await stream.SendTextAsync(delta, CancellationToken.None);
            }
            await stream.CompleteAsync(CancellationToken.None);
            await foreach (var e in stream.ReadAsync(CancellationToken.None))
                if (e is SpeechAudio audio && (audio.Samples.Length > 0 || audio.Text is not null))
                    _player.Enqueue(new AudioChunk(turn, audio.Samples, _synthesizer.OutputSampleRate, audio.Text));
            _player.Complete(turn);
            _engine.RecordReply(reply.ToString(), interrupted: false);
        }
        return transcriptAt;
    }

    public async ValueTask DisposeAsync()
    {
        _player.Dispose();
        await _synthesizer.DisposeAsync();
    }
}

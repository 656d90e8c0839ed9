using System.Runtime.CompilerServices;
using System.Threading.Channels;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Speech;

/// <summary>
/// No audio at all (<c>tts.endpoint = none</c>): every piece of text comes straight back as a
/// segment marker with no samples, so playback and the conversation still learn what was "heard".
/// </summary>
public sealed class TextOnlySynthesizer(int outputSampleRate) : ISpeechSynthesizer
{
    public string Description => "text only (no voice)";

    public int OutputSampleRate { get; } = outputSampleRate;

    public Task<ISpeechStream> OpenAsync(TurnId turn, CancellationToken ct) =>
        Task.FromResult<ISpeechStream>(new TextOnlyStream());

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed class TextOnlyStream : ISpeechStream
    {
        private readonly Channel<SpeechEvent> _events = Channel.CreateUnbounded<SpeechEvent>(
            new UnboundedChannelOptions { SingleReader = true });

        public Task SendTextAsync(string text, CancellationToken ct)
        {
            if (text.Length > 0) _events.Writer.TryWrite(new SpeechAudio([], text));
            return Task.CompletedTask;
        }

        public Task CompleteAsync(CancellationToken ct)
        {
            _events.Writer.TryComplete();
            return Task.CompletedTask;
        }

        public Task InterruptAsync(CancellationToken ct)
        {
            // Drop anything not yet read: after an interrupt nothing of the turn is delivered.
            while (_events.Reader.TryRead(out _)) { }
            _events.Writer.TryComplete();
            return Task.CompletedTask;
        }

        public async IAsyncEnumerable<SpeechEvent> ReadAsync([EnumeratorCancellation] CancellationToken ct)
        {
            await foreach (var e in _events.Reader.ReadAllAsync(ct))
                yield return e;
        }

        public ValueTask DisposeAsync()
        {
            _events.Writer.TryComplete();
            return ValueTask.CompletedTask;
        }
    }
}

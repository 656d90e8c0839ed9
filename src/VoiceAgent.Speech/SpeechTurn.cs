using VoiceAgent.Dsp;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Speech;

/// <summary>
/// One agent turn being spoken: its text until the stream is open, the stream, whether the text
/// is complete or the turn was interrupted, and what its metrics need.
/// </summary>
internal sealed class SpeechTurn(TurnId id)
{
    private readonly List<string> _pending = [];
    private DateTimeOffset? _firstTextSentAt;
    private DateTimeOffset? _firstAudioAt;
    private int? _serverTimeToFirstAudioMs;
    private long _samples;
    private long _wireBytes;

    public TurnId Id { get; } = id;

    /// <summary>Cancelled when the turn is closed: stops its stream calls and reader.</summary>
    public CancellationTokenSource Cancellation { get; } = new();

    public ISpeechStream? Stream { get; private set; }

    public bool TextCompleted { get; set; }

    public bool Interrupted { get; set; }

    /// <summary>Keeps a delta while the stream is not open yet (per delta, as they came); false
    /// when it can be sent now.</summary>
    public bool HoldBack(string delta)
    {
        if (Stream is not null) return false;
        _pending.Add(delta);
        return true;
    }

    /// <summary>The stream is open: returns the deltas held back, to be sent in order.</summary>
    public IReadOnlyList<string> Attach(ISpeechStream stream)
    {
        Stream = stream;
        var held = _pending.ToList();
        _pending.Clear();
        return held;
    }

    public void TextSent(DateTimeOffset now) => _firstTextSentAt ??= now;

    /// <summary>Counts a piece of audio; true when it is worth passing to playback (samples or a
    /// text marker).</summary>
    public bool AudioArrived(SpeechAudio audio, DateTimeOffset now)
    {
        if (audio.Samples.Length > 0)
        {
            _firstAudioAt ??= now;
            _samples += audio.Samples.Length;
        }
        _wireBytes += audio.WireBytes;
        return audio.Samples.Length > 0 || !string.IsNullOrEmpty(audio.Text);
    }

    public void ServerTiming(SpeechServerTiming timing) => _serverTimeToFirstAudioMs ??= timing.TimeToFirstAudioMs;

    public SpeechMetrics Metrics(int outputSampleRate) => new(
        Id,
        _firstTextSentAt is { } sent && _firstAudioAt is { } heard ? heard - sent : null,
        _serverTimeToFirstAudioMs,
        _wireBytes,
        Pcm16.Duration(_samples, outputSampleRate));

    /// <summary>Releases the stream: a forced or completed one closes its socket gracefully,
    /// then the reader is stopped.</summary>
    public void Close()
    {
        var stream = Stream;
        Stream = null;
        if (stream is not null)
        {
            _ = Task.Run(async () =>
            {
                try { await stream.DisposeAsync(); } catch { /* closing: nothing left to report */ }
                Cancellation.Cancel();
                Cancellation.Dispose();
            });
        }
        else
        {
            Cancellation.Cancel();
        }
    }
}

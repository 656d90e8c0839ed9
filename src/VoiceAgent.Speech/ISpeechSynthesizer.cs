using VoiceAgent.Core.Diagnostics;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Speech;

/// <summary>
/// A text-to-speech engine that speaks one agent turn per stream. Implementations: the Telnyx
/// TTS WebSocket client (<see cref="Telnyx.TelnyxSpeechSynthesizer"/>) and
/// <see cref="TextOnlySynthesizer"/> (no audio).
/// </summary>
public interface ISpeechSynthesizer : IAsyncDisposable
{
    /// <summary>What speaks, for status lines ("Telnyx TTS at wss://…", "text only").</summary>
    string Description { get; }

    /// <summary>The rate of the PCM that streams deliver (the playback rate).</summary>
    int OutputSampleRate { get; }

    /// <summary>Opens a stream for one turn; with pre-warming this returns an already open session.</summary>
    Task<ISpeechStream> OpenAsync(TurnId turn, CancellationToken ct);

    /// <summary>A turn is likely to start soon (the user is speaking): get a session ready.
    /// Engines without sessions ignore it.</summary>
    void WarmUp() { }
}

/// <summary>
/// One turn's synthesis. Send methods only queue (frames go out in order on the engine's own
/// task), so callers, including actors, never wait on the network.
/// </summary>
public interface ISpeechStream : IAsyncDisposable
{
    /// <summary>Adds reply text as it arrives (LLM tokens are fine).</summary>
    Task SendTextAsync(string text, CancellationToken ct);

    /// <summary>The turn's text is complete: flush and end the sequence.</summary>
    Task CompleteAsync(CancellationToken ct);

    /// <summary>Barge-in: stop synthesis now. No further events are produced after this call.</summary>
    Task InterruptAsync(CancellationToken ct);

    /// <summary>The turn's audio and segment markers, at the synthesizer's output rate. Ends when
    /// the turn's audio is complete (or after an interrupt); throws
    /// <see cref="SpeechSynthesisException"/> with a one-line reason on failure.</summary>
    IAsyncEnumerable<SpeechEvent> ReadAsync(CancellationToken ct);
}

/// <summary>Something a speech stream produced.</summary>
public abstract record SpeechEvent;

/// <summary>PCM at the output rate, decoded from <paramref name="WireBytes"/> bytes of server audio. <paramref name="Text"/>, when set, is the reply text whose
/// audio ends with these samples (possibly none): once played, that text has been heard.</summary>
public sealed record SpeechAudio(short[] Samples, string? Text = null, int WireBytes = 0) : SpeechEvent;

/// <summary>The server's own latency figure (<c>timeToFirstAudioFrameMs</c>).</summary>
public sealed record SpeechServerTiming(int TimeToFirstAudioMs) : SpeechEvent;

/// <summary>A one-line status worth showing the user (a reconnect).</summary>
public sealed record SpeechNotice(string Text) : SpeechEvent;

/// <summary>A synthesis failure whose message is one clear line for the user.</summary>
public sealed class SpeechSynthesisException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>One line for the user: a synthesis failure's own message says it all; anything
    /// else is named by what was being done.</summary>
    public static string Describe(Exception? error, string doing) => error switch
    {
        SpeechSynthesisException failure => DoctorText.OneLine(failure.Message),
        null => doing,
        _ => DoctorText.OneLine($"{doing}: {error.Message}"),
    };
}

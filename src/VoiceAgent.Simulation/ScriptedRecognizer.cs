using VoiceAgent.Core.Protocol;
using VoiceAgent.Dsp;
using VoiceAgent.Listening;

namespace VoiceAgent.Simulation;

/// <summary>
/// A test double for speech recognition in the virtual room: it does not listen to the audio
/// but answers with what the scenario says was spoken there. For the utterance's stretch of the
/// capture clock (which is the room's clock: frame k of the room's microphone holds room samples
/// from 320k on) it returns the transcripts of the scripted user sounds that overlap it; where
/// no user sound does but the agent was playing, the agent's own words then (a perfect room
/// recognizer hears the agent too); "" otherwise. The user's words win over the agent's under
/// them, as they would behind an ideal echo canceller.
/// </summary>
public sealed class ScriptedRecognizer(
    ScriptedUserWords user,
    Func<IReadOnlyList<TimelineEntry>> timeline,
    Func<TimeSpan> roomClock,
    ScriptedRecognizerOptions options) : ISpeechRecognizer
{
    public const string DisplayName = "scripted recognizer (test double)";

    public string Name => DisplayName;

    public string Description => $"{DisplayName}: the scenario's scripted words, not the audio";

    /// <summary>Without the capture-clock start (a caller that does not give it): the utterance
    /// is taken to end where the engine would have cut it, the silence that ended it ago.</summary>
    public Task<string> TranscribeAsync(ReadOnlyMemory<short> utterance, CancellationToken cancellationToken)
    {
        var end = roomClock() - options.EndDecidedAfter;
        return TranscribeAsync(utterance, end - Length(utterance), cancellationToken);
    }

    public async Task<string> TranscribeAsync(ReadOnlyMemory<short> utterance, TimeSpan captureStart, CancellationToken cancellationToken)
    {
        var text = Hear(captureStart, captureStart + Length(utterance));
        if (options.Delay > TimeSpan.Zero) await Task.Delay(options.Delay, cancellationToken).ConfigureAwait(false);
        return text;
    }

    /// <summary>What was said between <paramref name="from"/> and <paramref name="to"/> (room time).</summary>
    public string Hear(TimeSpan from, TimeSpan to)
    {
        var said = user.Overlapping(from, to);
        if (said.Count > 0) return string.Join(' ', said);
        return AgentSpeechEstimate.WordsHeard(timeline(), from, to, options.EchoDelay, roomClock());
    }

    private static TimeSpan Length(ReadOnlyMemory<short> utterance) => Pcm16.Duration(utterance.Length, CaptureFormat.SampleRate);

    public void Dispose()
    {
    }
}

/// <param name="Delay">How long each transcription takes (a slow recognizer).</param>
/// <param name="EchoDelay">Played audio reaches the microphone this much later.</param>
/// <param name="EndDecidedAfter">How long after an utterance's last sample the engine hands it
/// over (its end-of-speech silence less the padding it keeps).</param>
public sealed record ScriptedRecognizerOptions(TimeSpan Delay, TimeSpan EchoDelay, TimeSpan EndDecidedAfter);

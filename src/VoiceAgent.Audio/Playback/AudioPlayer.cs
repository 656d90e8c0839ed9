using VoiceAgent.Audio.Output;
using VoiceAgent.Dsp;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Audio.Playback;

/// <summary>
/// Plays agent turns on an <see cref="IAudioOutput"/>: a queue of audio, segment markers and
/// turn ends, drained by one writer thread in small pieces (20 ms by default), so pause, resume
/// and stop take effect within one piece. Every device call happens on the writer thread.
/// <para>
/// It reports, through the <c>report</c> callback (called on the writer thread), the protocol
/// records <see cref="PlaybackStarted"/>, <see cref="PlaybackProgress"/>,
/// <see cref="PlaybackFinished"/>, <see cref="PlaybackStopped"/>, <see cref="PlaybackFailed"/>
/// <see cref="PlaybackReference"/> and <see cref="PlaybackReferenceCut"/>. "Played" is what has reached the listener: samples
/// written minus what the device still holds.
/// </para>
/// </summary>
public sealed class AudioPlayer : IDisposable
{
    private readonly IAudioOutput _output;
    private readonly PlaybackSchedule _schedule;
    private readonly PlaybackWriter _writer;
    private readonly Thread _writerThread;

    public AudioPlayer(IAudioOutput output, Action<object> report, TimeSpan? piece = null, TimeProvider? clock = null)
    {
        _output = output;
        var pieceSamples = Math.Max(1, Pcm16.SamplesFor(piece ?? TimeSpan.FromMilliseconds(20), output.SampleRate));
        _schedule = new PlaybackSchedule(output.SampleRate, pieceSamples);
        _writer = new PlaybackWriter(_schedule, output, report, clock ?? TimeProvider.System,
            Pcm16.Duration(pieceSamples, output.SampleRate));
        _writerThread = new Thread(_writer.Run) { IsBackground = true, Name = "audio-player" };
        _writerThread.Start();
    }

    public IAudioOutput Output => _output;

    public bool IsPaused => _schedule.IsPaused;

    /// <summary>Pieces written into a full device that had stopped playing (its latency held
    /// still), rather than waiting for room that never comes.</summary>
    public long StalledWrites => _writer.StalledWrites;

    /// <summary>Queues a chunk of an agent turn (resampled to the output rate). Chunks of a
    /// stopped turn, or of an older one, are discarded.</summary>
    public void Enqueue(AudioChunk chunk) => _schedule.Enqueue(chunk);

    /// <summary>No more audio will come for <paramref name="turn"/>: once what is queued has been
    /// heard, <see cref="PlaybackFinished"/> is reported.</summary>
    public void Complete(TurnId turn) => _schedule.Complete(turn);

    /// <summary>Stops writing after the current piece and discards what the device holds; that
    /// audio is put back, so <see cref="Resume"/> continues where the listener stopped hearing.
    /// Returns false when already paused.</summary>
    public bool Pause() => _schedule.Pause();

    /// <summary>Continues after <see cref="Pause"/>. Returns false when not paused.</summary>
    public bool Resume() => _schedule.Resume();

    /// <summary>Drops everything of <paramref name="turn"/> and older turns, now; the writer then
    /// flushes the device within one piece and reports <see cref="PlaybackStopped"/>. A later
    /// chunk of those turns is discarded. Also ends a pause.</summary>
    public void Stop(TurnId turn) => _schedule.Stop(turn);

    public void Dispose()
    {
        if (!_schedule.Shutdown()) return;
        _writerThread.Join(TimeSpan.FromSeconds(2));
        _output.Dispose();
    }
}

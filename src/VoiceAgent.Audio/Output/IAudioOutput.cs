namespace VoiceAgent.Audio.Output;

/// <summary>
/// Where played audio goes: a sound card, a file, nothing, or the virtual room. Mono signed
/// 16-bit at <see cref="SampleRate"/>. Every call comes from one thread (the player's writer),
/// so implementations need no locking of their own.
/// </summary>
public interface IAudioOutput : IDisposable
{
    /// <summary>What the user sees in notices ("pulse:default", "wav:out.wav", "none").</summary>
    string Name { get; }

    int SampleRate { get; }

    /// <summary>Hands samples to the device; blocks while the device buffer is full, so a
    /// caller writing small pieces is paced by the device.</summary>
    void Write(ReadOnlySpan<short> samples);

    /// <summary>How much audio the device holds ahead of the listener; zero when
    /// <see cref="Write"/> itself takes as long as playing (files, nothing).</summary>
    TimeSpan BufferSize { get; }

    /// <summary>How much of what was written has not been heard yet.</summary>
    TimeSpan Latency { get; }

    /// <summary>Whether <see cref="Latency"/> is exact to the sample (a simulated device), so the
    /// player can tell from it that the device ran dry between two pieces. Real devices
    /// interpolate it (PulseAudio's figure moves by milliseconds, and reads zero now and then
    /// while audio is still queued), and the player relies on its own count instead.</summary>
    bool ExactLatency => false;

    /// <summary>Discards everything written but not yet heard, and returns how much audio that
    /// was. Measured at the moment of the flush: a latency read just before it goes stale if
    /// the thread is preempted in between, and the heard position would be off by that much.</summary>
    TimeSpan Flush();

    /// <summary>Blocks until everything written has been heard.</summary>
    void Drain();
}

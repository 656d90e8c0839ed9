namespace VoiceAgent.Core.Protocol;

/// <summary>Messages of the capture side (MicrophoneActor).</summary>
public static class CaptureFormat
{
    /// <summary>Capture is always 16 kHz mono signed 16-bit: what VAD and recognizers expect.</summary>
    public const int SampleRate = 16_000;

    /// <summary>One frame is 20 ms.</summary>
    public const int FrameSamples = SampleRate / 50;
}

/// <summary>20 ms of microphone audio (16 kHz mono s16). <paramref name="Position"/> is the
/// capture-clock time of the frame's first sample, counted from the start of capture.</summary>
public sealed record AudioFrame(ReadOnlyMemory<short> Samples, TimeSpan Position)
{
    /// <summary>When the capture device handed the frame over (the pipeline's clock), stamped by
    /// the MicrophoneActor before the frame waits in any mailbox, from <see cref="DeliveredTimestamp"/>
    /// when the device gave one. The capture clock is mapped to the wall clock from the least
    /// delayed frames; a listener that is behind (busy machine, model loading) would otherwise see
    /// every frame late and place played audio hundreds of milliseconds early on the capture
    /// clock. Null when the sender did not stamp it.</summary>
    public DateTimeOffset? ArrivedAt { get; init; }

    /// <summary><see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> at the moment the device
    /// delivered the frame, taken on the device's own thread (or, for the virtual room, the moment
    /// the frame was complete on its clock). The task that forwards frames runs on the shared
    /// thread pool, which a starved process serves late (six virtual rooms in one process beside
    /// a build fell up to 2.8 s behind): a capture clock learned from stamps taken there places
    /// played audio early whenever the delay is there from the first frames. Null when the device
    /// cannot say (a file); then the frame is stamped when the MicrophoneActor gets it.</summary>
    public long? DeliveredTimestamp { get; init; }
}

/// <summary>Asks the MicrophoneActor to start or stop its device.</summary>
public sealed record StartCapture;

public sealed record StopCapture;

public sealed record CaptureStarted(string Device) : IPipelineEvent;

/// <summary>The capture source ran out (end of a WAV file) or was stopped.</summary>
public sealed record CaptureEnded(string Device) : IPipelineEvent;

public sealed record CaptureFailed(string Device, string Reason) : IPipelineEvent;

/// <summary>The microphone's level (RMS, dBFS) over the tenth of a second of capture that ends at
/// <paramref name="Position"/>, for a level meter. Published on the EventStream about ten times a
/// second while capture runs. Not an <see cref="IPipelineEvent"/>: observers of the whole pipeline
/// (the session log) would drown in it; subscribe to this type to get it.</summary>
public sealed record MicrophoneLevel(string Device, double RmsDbfs, TimeSpan Position);

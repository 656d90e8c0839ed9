namespace VoiceAgent.TtsServer.Synthesis;

/// <summary>Where a server's segments are synthesized: worker processes
/// (<see cref="Processes.SynthesisProcessPool"/>, one espeak-ng per core) or the one in-process
/// engine (<see cref="SynthesisWorker"/>). Requests of many owners take turns fairly.</summary>
public interface ISynthesizer
{
    /// <summary>Sample rate of every stream's samples.</summary>
    int SampleRate { get; }

    IReadOnlyList<EspeakVoice> Voices { get; }

    /// <summary>Requests waiting or running.</summary>
    int Pending { get; }

    /// <summary>Requests that can run at once (engines): with <see cref="Pending"/> at this or
    /// more, a new request waits.</summary>
    int Engines { get; }

    /// <summary>Queues a request behind the other owners' turns and returns its audio stream at once.
    /// A <paramref name="firstAudio"/> request (the first piece of a session's turn) goes before
    /// the pieces of sessions already playing (<see cref="FairShareQueue{T}"/>).</summary>
    SynthesisStream Start(SynthesisRequest request, object owner, CancellationToken cancellation, long maxSamples = long.MaxValue, bool firstAudio = false);
}

using System.Diagnostics;

namespace VoiceAgent.Memory.Benchmarks;

/// <summary>Memory at one moment of the conversation, in MB (10^6 bytes).</summary>
/// <param name="ConversationMinutes">Conversation time (compressed clock) when it was taken.</param>
/// <param name="ManagedHeapMb">Live managed objects after a full, compacting collection.</param>
/// <param name="GcCommittedMb">Memory the garbage collector holds from the system for the heap (live objects and room to allocate).</param>
/// <param name="WorkingSetMb">The process's resident memory (the GC's, native libraries, ONNX Runtime, espeak-ng, compiled code).</param>
internal sealed record MemorySample(string Moment, int Turns, double ConversationMinutes, double ManagedHeapMb, double GcCommittedMb, double WorkingSetMb);

/// <summary>
/// Reads the process's memory the same way every time: collects garbage fully first (so what is
/// counted is what is still held, not what a lazy collector has not reclaimed yet), then reads
/// the managed heap and the working set. (The embedded TTS server synthesizes in this process,
/// so espeak-ng's memory is in the working set.)
/// </summary>
internal static class MemoryProbe
{
    private const double Mb = 1_000_000;

    public static MemorySample Take(string moment, int turns, TimeSpan conversation)
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        using var self = Process.GetCurrentProcess();
        return new MemorySample(
            moment, turns, Math.Round(conversation.TotalMinutes, 2),
            Math.Round(GC.GetTotalMemory(forceFullCollection: false) / Mb, 1),
            Math.Round(GC.GetGCMemoryInfo().TotalCommittedBytes / Mb, 1),
            Math.Round(self.WorkingSet64 / Mb, 1));
    }
}

namespace VoiceAgent.Audio.Tests;

/// <summary>
/// Tests that measure a real-time timeline on a real audio server (what was played and when)
/// run alone, after the other tests of their assembly: tests that start processes or build
/// models alongside would take the CPU they measure, as test.sh keeps assemblies apart for the
/// same reason.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealTimeCollection
{
    public const string Name = "real time, alone";
}

using VoiceAgent.Audio.Capture;
using VoiceAgent.Audio.Pulse;

namespace VoiceAgent.Audio.Tests;

/// <summary>
/// Device tests need the private PulseAudio server of .ci/pulse-start.sh (null sink "vsink",
/// pipe source "vmic" fed through $PULSE_MIC_FIFO). Without one they are skipped locally, but
/// fail when CI=true: there, a missing server is a broken environment, not a reason to pass.
/// </summary>
internal static class PulseRequirement
{
    private static readonly Lazy<string?> Problem = new(FindProblem);

    public static string MicFifo => Environment.GetEnvironmentVariable("PULSE_MIC_FIFO") ?? "";

    public static void Require()
    {
        if (Problem.Value is not { } problem) return;
        var message = $"{problem}: start one with `eval \"$(.ci/pulse-start.sh)\"`";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Assert.Fail("CI=true, but " + message);
        Assert.Skip(message);
    }

    private static string? FindProblem()
    {
        AudioDeviceList devices;
        try
        {
            devices = AudioDevices.ListAsync(timeout: TimeSpan.FromSeconds(3)).GetAwaiter().GetResult();
        }
        catch (AudioDeviceException e)
        {
            return "no PulseAudio server is reachable (" + e.Message + ")";
        }
        if (!devices.Sinks.Any(s => s.Name == "vsink") || !devices.Sources.Any(s => s.Name == "vmic"))
            return $"the PulseAudio server at {devices.Server} has no test devices vsink and vmic";
        if (!File.Exists(MicFifo))
            return "PULSE_MIC_FIFO does not name the FIFO of the vmic pipe source";
        return null;
    }
}

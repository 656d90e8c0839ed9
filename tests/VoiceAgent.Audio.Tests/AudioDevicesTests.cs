namespace VoiceAgent.Audio.Tests;

public sealed class AudioDevicesTests
{
    [Fact]
    public async Task Lists_the_sinks_and_sources_of_the_server_with_monitors_and_defaults()
    {
        PulseRequirement.Require();
        var devices = await AudioDevices.ListAsync();

        var sink = Assert.Single(devices.Sinks, s => s.Name == "vsink");
        Assert.True(sink.IsDefault);
        Assert.Equal(AudioDeviceKind.Sink, sink.Kind);
        var monitor = Assert.Single(devices.Sources, s => s.Name == "vsink.monitor");
        Assert.True(monitor.IsMonitor);
        Assert.False(monitor.IsDefault);
        var mic = Assert.Single(devices.Sources, s => s.Name == "vmic");
        Assert.False(mic.IsMonitor);
        Assert.True(mic.IsDefault);
        Assert.False(string.IsNullOrWhiteSpace(mic.Description));
    }

    [Fact]
    public async Task A_missing_server_is_one_clear_line()
    {
        var e = await Assert.ThrowsAsync<Capture.AudioDeviceException>(() => AudioDevices.ListAsync("unix:/nonexistent/voice-agent/native"));
        Assert.Contains("/nonexistent/voice-agent/native", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Opening_a_stream_on_a_missing_server_is_one_clear_line()
    {
        var e = Assert.Throws<Capture.AudioDeviceException>(() => new Pulse.PulseAudioOutput(null, 16_000, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(20), "unix:/nonexistent/voice-agent/native"));
        Assert.Contains("/nonexistent/voice-agent/native", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}

using VoiceAgent.Audio.Capture;
using VoiceAgent.Audio.Hosting;
using VoiceAgent.Audio.Output;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Audio.Tests;

/// <summary>
/// The Windows backend where there is no Windows audio: the real NAudio calls (WASAPI through COM,
/// WinMM through winmm.dll) fail, and that is one line and text mode, as a missing PulseAudio
/// server is. On Windows these would open real devices, so they run elsewhere only.
/// </summary>
public sealed class NAudioBackendTests
{
    private static readonly AudioSettings Windows = new() { Backend = AudioBackendKind.NAudio };

    public NAudioBackendTests() => Assert.SkipWhen(OperatingSystem.IsWindows(), "opens real Windows devices");

    [Fact]
    public void Playback_falls_back_to_no_output_with_one_warning_line()
    {
        using var output = AudioBackends.OpenOutput(Windows, out var notice);

        Assert.IsType<NullAudioOutput>(output);
        Assert.NotNull(notice);
        Assert.Equal(NoticeLevel.Warning, notice.Level);
        Assert.StartsWith("Windows audio playback is not available (WASAPI: ", notice.Text);
        Assert.Contains("; WinMM: ", notice.Text);
        Assert.EndsWith("is missing); audio.backend = naudio is for Windows; replies are shown as text (check the device, or set audio.output = none)", notice.Text);
        Assert.DoesNotContain('\n', notice.Text);
    }

    [Fact]
    public void The_microphone_is_left_out_with_one_line()
    {
        var capture = AudioBackends.OpenCapture(Windows, out var notice);

        Assert.Null(capture);
        Assert.NotNull(notice);
        Assert.StartsWith("Windows audio recording is not available (WASAPI: ", notice.Text);
        Assert.EndsWith("is missing); audio.backend = naudio is for Windows; type to talk (check the device, or set audio.input = none)", notice.Text);
        Assert.DoesNotContain('\n', notice.Text);
    }

    [Fact]
    public async Task Listing_devices_is_one_line()
    {
        var e = await Assert.ThrowsAsync<AudioDeviceException>(() => AudioDevices.ListAsync(AudioBackendKind.NAudio));
        Assert.StartsWith("Windows audio device listing is not available", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public async Task Backends_without_devices_say_so_when_asked_for_a_list()
    {
        var e = await Assert.ThrowsAsync<AudioDeviceException>(() => AudioDevices.ListAsync(AudioBackendKind.None));
        Assert.Equal("audio.backend = none uses no devices; set audio.backend = pulse or naudio to list them", e.Message);
    }
}

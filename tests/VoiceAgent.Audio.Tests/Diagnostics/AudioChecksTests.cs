using VoiceAgent.Audio.Capture;
using VoiceAgent.Audio.Diagnostics;
using VoiceAgent.Audio.Hosting;
using VoiceAgent.Core.Diagnostics;

namespace VoiceAgent.Audio.Tests.Diagnostics;

/// <summary>
/// The audio doctor rows against a stand-in sound server, for the situations a test machine cannot
/// arrange (a muted microphone, a server with no default source). The real server is checked end
/// to end by the doctor command tests under the private PulseAudio.
/// </summary>
public class AudioChecksTests
{
    private static readonly AudioDevice Mic = new("alsa_input.usb", "USB Microphone", AudioDeviceKind.Source, true, false);
    private static readonly AudioDevice Monitor = new("speakers.monitor", "Monitor of Speakers", AudioDeviceKind.Source, false, true);
    private static readonly AudioDevice Speakers = new("speakers", "Speakers", AudioDeviceKind.Sink, true, false);

    /// <summary>A sound server that answers as told, and records what was opened.</summary>
    private sealed class FakeServer : IAudioDeviceProbe
    {
        public AudioDeviceList? Devices { get; init; } = new("unix:/run/test/native", [Mic, Monitor], [Speakers]);
        public InputLevel Level { get; init; } = new(TimeSpan.FromSeconds(1), -32, -20);
        public string? MeasuredDevice { get; private set; }
        public string? OpenedDevice { get; private set; }

        public Task<AudioDeviceList> ListAsync(CancellationToken cancellationToken) =>
            Devices is { } devices ? Task.FromResult(devices) : throw new AudioDeviceException("PulseAudio connect to the default server failed: Connection refused");

        public Task<InputLevel> MeasureInputAsync(string? device, TimeSpan duration, CancellationToken cancellationToken)
        {
            MeasuredDevice = device;
            return Task.FromResult(Level);
        }

        public Task OpenOutputAsync(string? device, AudioSettings settings, CancellationToken cancellationToken)
        {
            OpenedDevice = device;
            return Task.CompletedTask;
        }
    }

    private static Task<DoctorRow> Run(IDoctorCheck check) => check.RunAsync(TestContext.Current.CancellationToken);

    [Fact]
    public async Task With_no_server_every_audio_row_is_missing_and_says_how_to_start_one()
    {
        var server = new FakeServer { Devices = null };
        var settings = new AudioSettings();

        var rows = new[]
        {
            await Run(new AudioServerCheck(settings, server)),
            await Run(new MicrophoneCheck(settings, server)),
            await Run(new SpeakerCheck(settings, server)),
        };

        Assert.All(rows, row =>
        {
            Assert.Equal(DoctorStatus.Missing, row.Status);
            Assert.True(row.Blocks);
            Assert.Matches("pulseaudio --start|pipewire-pulse|apt-get install", row.Fix);
        });
        Assert.Contains("Connection refused", rows[0].Detail);
        Assert.Contains("text mode", rows[0].Detail);
        Assert.Null(server.MeasuredDevice);
    }

    [Fact]
    public async Task The_default_microphone_is_measured_and_its_level_shown()
    {
        var server = new FakeServer();
        var row = await Run(new MicrophoneCheck(new AudioSettings(), server));

        Assert.Equal(DoctorStatus.Ok, row.Status);
        Assert.Equal("alsa_input.usb", server.MeasuredDevice);
        Assert.Contains("USB Microphone", row.Detail);
        Assert.Contains("level -32 dBFS, peak -20 dBFS over 1.0 s", row.Detail);
    }

    [Fact]
    public async Task A_digitally_silent_microphone_fails_with_the_unmute_command()
    {
        var server = new FakeServer { Level = new InputLevel(TimeSpan.FromSeconds(1), double.NegativeInfinity, double.NegativeInfinity) };
        var row = await Run(new MicrophoneCheck(new AudioSettings(), server));

        Assert.Equal(DoctorStatus.Failing, row.Status);
        Assert.Contains("muted", row.Detail);
        Assert.Equal("pactl set-source-mute alsa_input.usb 0", row.Fix);
    }

    [Fact]
    public async Task A_microphone_that_delivers_nothing_fails()
    {
        var server = new FakeServer { Level = new InputLevel(TimeSpan.Zero, double.NegativeInfinity, double.NegativeInfinity) };
        var row = await Run(new MicrophoneCheck(new AudioSettings(), server));

        Assert.Equal(DoctorStatus.Failing, row.Status);
        Assert.Contains("delivered no audio", row.Detail);
        Assert.Contains("voice-agent devices", row.Fix);
    }

    [Fact]
    public async Task A_server_without_a_default_source_has_no_microphone()
    {
        var server = new FakeServer { Devices = new AudioDeviceList("tcp:box", [Monitor], [Speakers]) };
        var row = await Run(new MicrophoneCheck(new AudioSettings(), server));

        Assert.Equal(DoctorStatus.Missing, row.Status);
        Assert.Contains("no default source", row.Detail);
        Assert.Null(server.MeasuredDevice);
    }

    [Fact]
    public async Task A_configured_device_that_does_not_exist_is_named()
    {
        var server = new FakeServer();
        var settings = new AudioSettings { InputDevice = "headset_mic", OutputDevice = "speakers" };

        var microphone = await Run(new MicrophoneCheck(settings, server));
        var speaker = await Run(new SpeakerCheck(settings, server));

        Assert.Equal(DoctorStatus.Missing, microphone.Status);
        Assert.Contains("'headset_mic'", microphone.Detail);
        Assert.Equal(DoctorStatus.Ok, speaker.Status);
        Assert.Equal("speakers", server.OpenedDevice);
    }

    [Fact]
    public async Task Rows_of_devices_the_configuration_does_not_use_do_not_block()
    {
        var server = new FakeServer { Devices = null };
        var settings = new AudioSettings { Input = AudioInputKind.None, Output = AudioOutputKind.None };

        var rows = new[]
        {
            await Run(new AudioServerCheck(settings, server)),
            await Run(new MicrophoneCheck(settings, server)),
            await Run(new SpeakerCheck(settings, server)),
        };

        Assert.All(rows, row =>
        {
            Assert.Equal(DoctorStatus.NotUsed, row.Status);
            Assert.False(row.Blocks);
        });
    }
}

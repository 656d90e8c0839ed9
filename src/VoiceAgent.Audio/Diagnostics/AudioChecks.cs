using System.Globalization;
using System.Runtime.InteropServices;
using VoiceAgent.Audio.Capture;
using VoiceAgent.Audio.Hosting;
using VoiceAgent.Audio.Pulse;
using VoiceAgent.Core.Diagnostics;

namespace VoiceAgent.Audio.Diagnostics;

/// <summary>Wording and fixes shared by the audio rows.</summary>
internal static class AudioDoctor
{
    public static bool UsesPulse(AudioInputKind input) => input is AudioInputKind.Pulse;

    public static bool UsesPulse(AudioOutputKind output) => output is AudioOutputKind.Pulse;

    public static bool LibPulseInstalled()
    {
        if (!NativeLibrary.TryLoad(PulseSimpleNative.PulseLibrary, out var handle)) return false;
        NativeLibrary.Free(handle);
        return true;
    }

    /// <summary>The command that starts a sound server here: PipeWire's PulseAudio service where
    /// PipeWire is installed, else PulseAudio, else installing it.</summary>
    public static string StartServer()
    {
        if (OnPath("pipewire-pulse")) return "systemctl --user start pipewire-pulse";
        if (OnPath("pulseaudio")) return "pulseaudio --start";
        return DoctorText.AptInstall("pulseaudio");
    }

    public static string Db(double dbfs) =>
        double.IsNegativeInfinity(dbfs) ? "-inf" : dbfs.ToString("0", CultureInfo.InvariantCulture);

    /// <summary>The server's device list, or the row that says why there is none.</summary>
    public static async Task<(AudioDeviceList? Devices, DoctorRow? Problem)> ListAsync(IAudioDeviceProbe probe, string check, CancellationToken cancellationToken)
    {
        if (!LibPulseInstalled())
            return (null, DoctorRow.Missing(check, $"{PulseSimpleNative.PulseLibrary} is not installed", DoctorText.AptInstall("libpulse0")));
        try
        {
            return (await probe.ListAsync(cancellationToken), null);
        }
        catch (AudioDeviceException e)
        {
            // The server row says why; the device rows only that there is nothing to open.
            var detail = check == AudioServerCheck.CheckName
                ? $"no audio server: {e.Message}; without one the assistant runs in text mode"
                : "no audio server (see the audio server row)";
            return (null, DoctorRow.Missing(check, detail, StartServer()));
        }
    }

    /// <summary>The configured device (<paramref name="wanted"/>) or the server's default, or the
    /// row that says there is none and how to choose one.</summary>
    public static (AudioDevice? Device, DoctorRow? Problem) Pick(IReadOnlyList<AudioDevice> devices, string wanted, string check, string server, string kind, string setting)
    {
        var device = string.IsNullOrEmpty(wanted) ? devices.FirstOrDefault(d => d.IsDefault) : devices.FirstOrDefault(d => d.Name == wanted);
        if (device is not null) return (device, null);
        var detail = string.IsNullOrEmpty(wanted)
            ? $"the audio server at {server} has no default {kind}"
            : $"no {kind} named '{wanted}' ({setting})";
        return (null, DoctorRow.Missing(check, detail, ChooseDevice(setting)));
    }

    public static string ChooseDevice(string setting) => $"voice-agent devices   (then -D {setting}=NAME)";

    /// <summary>What a device is called in a row: name, description, whether it is the default.</summary>
    public static string Describe(AudioDevice device) =>
        $"{device.Name} ({device.Description}{(device.IsDefault ? ", default" : "")})";

    /// <summary>The row for the Windows backend: its endpoints, or why there are none.</summary>
    public static DoctorRow NAudioRow(string check, string setting, bool capture)
    {
        try
        {
            var devices = AudioBackendCatalog.NAudio.ListDevices(TimeSpan.FromSeconds(3));
            var found = capture ? devices.Sources : devices.Sinks;
            var device = found.FirstOrDefault(d => d.IsDefault) ?? found.FirstOrDefault();
            return device is null
                ? DoctorRow.Missing(check, $"{devices.Server} has no {(capture ? "microphone" : "speakers")}", $"-D {setting}=none")
                : DoctorRow.Ok(check, $"{devices.Server}: {Describe(device)}, {found.Count} in all");
        }
        catch (AudioDeviceException e)
        {
            return DoctorRow.Missing(check, e.Message, OperatingSystem.IsWindows() ? $"-D {setting}=none" : "-D audio.backend=pulse");
        }
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, program)));
}

/// <summary>Doctor row: the PulseAudio (or PipeWire) server that microphone and speakers go through.</summary>
public sealed class AudioServerCheck(AudioSettings settings, IAudioDeviceProbe probe) : IDoctorCheck
{
    public const string CheckName = "audio server";

    public string Name => CheckName;

    public async Task<DoctorRow> RunAsync(CancellationToken cancellationToken)
    {
        if (!AudioDoctor.UsesPulse(settings.EffectiveInput) && !AudioDoctor.UsesPulse(settings.EffectiveOutput))
            return DoctorRow.NotUsed(Name, $"audio.backend = {Kind(settings.EffectiveBackend)}, input {Kind(settings.EffectiveInput)}, output {Kind(settings.EffectiveOutput)}",
                OperatingSystem.IsWindows() ? "-D audio.backend=auto" : "-D audio.backend=pulse");
        var (devices, problem) = await AudioDoctor.ListAsync(probe, Name, cancellationToken);
        if (problem is not null) return problem;
        var sources = devices!.Sources.Count(s => !s.IsMonitor);
        return DoctorRow.Ok(Name, $"PulseAudio at {devices.Server}: {sources} source(s), {devices.Sinks.Count} sink(s)");
    }

    internal static string Kind<T>(T kind) where T : struct, Enum => kind.ToString().ToLowerInvariant();
}

/// <summary>Doctor row: the microphone, with its level over one second.</summary>
public sealed class MicrophoneCheck(AudioSettings settings, IAudioDeviceProbe probe) : IDoctorCheck
{
    /// <summary>How long the microphone is listened to.</summary>
    public static readonly TimeSpan Listen = TimeSpan.FromSeconds(1);

    public string Name => "microphone";

    public async Task<DoctorRow> RunAsync(CancellationToken cancellationToken)
    {
        switch (settings.EffectiveInput)
        {
            case AudioInputKind.None:
                return DoctorRow.NotUsed(Name, "no microphone (audio.backend / audio.input): type to talk", "-D audio.input=auto");
            case AudioInputKind.Wav:
                return DoctorRow.Ok(Name, $"WAV file {settings.InputFile}");
            case AudioInputKind.NAudio:
                return AudioDoctor.NAudioRow(Name, "audio.input", capture: true);
        }

        var (devices, problem) = await AudioDoctor.ListAsync(probe, Name, cancellationToken);
        if (problem is not null) return problem;
        var (device, missing) = AudioDoctor.Pick(devices!.Sources, settings.InputDevice, Name, devices.Server, "source (microphone)", "audio.input-device");
        if (device is null) return missing!;

        InputLevel level;
        try
        {
            level = await probe.MeasureInputAsync(device.Name, Listen, cancellationToken);
        }
        catch (AudioDeviceException e)
        {
            return DoctorRow.Failing(Name, e.Message, AudioDoctor.ChooseDevice("audio.input-device"));
        }
        var what = AudioDoctor.Describe(device);
        if (level.Heard == TimeSpan.Zero)
            return DoctorRow.Failing(Name, $"{what} delivered no audio in {Listen.TotalSeconds:0} s", AudioDoctor.ChooseDevice("audio.input-device"));
        if (double.IsNegativeInfinity(level.RmsDbfs))
            return DoctorRow.Failing(Name, $"{what} is digitally silent over {level.Heard.TotalSeconds:0.0} s: muted?", $"pactl set-source-mute {device.Name} 0");
        return DoctorRow.Ok(Name, $"{what}: level {AudioDoctor.Db(level.RmsDbfs)} dBFS, peak {AudioDoctor.Db(level.PeakDbfs)} dBFS over {level.Heard.TotalSeconds:0.0} s");
    }
}

/// <summary>Doctor row: the speakers (a playback stream is opened; nothing is heard).</summary>
public sealed class SpeakerCheck(AudioSettings settings, IAudioDeviceProbe probe) : IDoctorCheck
{
    public string Name => "speaker";

    public async Task<DoctorRow> RunAsync(CancellationToken cancellationToken)
    {
        switch (settings.EffectiveOutput)
        {
            case AudioOutputKind.None:
                return DoctorRow.NotUsed(Name, "no speakers (audio.backend / audio.output): replies are shown, not heard", "-D audio.output=auto");
            case AudioOutputKind.Wav:
                return DoctorRow.Ok(Name, $"WAV file {settings.OutputFile}");
            case AudioOutputKind.NAudio:
                return AudioDoctor.NAudioRow(Name, "audio.output", capture: false);
        }

        var (devices, problem) = await AudioDoctor.ListAsync(probe, Name, cancellationToken);
        if (problem is not null) return problem;
        var (device, missing) = AudioDoctor.Pick(devices!.Sinks, settings.OutputDevice, Name, devices.Server, "sink (speakers)", "audio.output-device");
        if (device is null) return missing!;
        try
        {
            await probe.OpenOutputAsync(device.Name, settings, cancellationToken);
        }
        catch (AudioDeviceException e)
        {
            return DoctorRow.Failing(Name, e.Message, AudioDoctor.ChooseDevice("audio.output-device"));
        }
        return DoctorRow.Ok(Name, $"{AudioDoctor.Describe(device)}: plays at {settings.OutputSampleRate} Hz");
    }
}

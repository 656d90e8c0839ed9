using System.CommandLine;
using VoiceAgent.Audio;
using VoiceAgent.Audio.Capture;
using VoiceAgent.Audio.Hosting;

namespace VoiceAgent.Commands;

/// <summary><c>voice-agent devices</c>: the audio sources and sinks of the configured backend
/// (<c>audio.backend</c>: the PulseAudio/PipeWire server, or Windows audio), with the names
/// audio.input-device / audio.output-device take.</summary>
public static class DevicesCommand
{
    public static Command Create(GlobalOptions global)
    {
        var monitors = new Option<bool>("--monitors") { Description = "Also list sink monitors (sources that record what a sink plays)." };
        var command = new Command("devices", "List audio sources (microphones) and sinks (speakers) of audio.backend (PulseAudio/PipeWire, or Windows audio); * marks the defaults.");
        command.Options.Add(monitors);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var backend = AudioSettings.FromConfig(global.Load(parse).Config).EffectiveBackend;
            AudioDeviceList devices;
            try
            {
                devices = await AudioDevices.ListAsync(backend, cancellationToken);
            }
            catch (AudioDeviceException e)
            {
                await Console.Error.WriteLineAsync($"voice-agent devices: {e.Message}. Without devices the assistant runs in text mode.");
                return 1;
            }
            var showMonitors = parse.GetValue(monitors);
            Console.WriteLine(backend == AudioBackendKind.Pulse ? $"PulseAudio server: {devices.Server}" : devices.Server);
            Print("Sources (audio.input-device)", devices.Sources.Where(d => showMonitors || !d.IsMonitor));
            Print("Sinks (audio.output-device)", devices.Sinks);
            return 0;
        });
        return command;
    }

    private static void Print(string title, IEnumerable<AudioDevice> devices)
    {
        Console.WriteLine();
        Console.WriteLine(title + ":");
        var any = false;
        foreach (var d in devices)
        {
            any = true;
            Console.WriteLine($"  {(d.IsDefault ? "*" : " ")} {d.Name}  {d.Description}{(d.IsMonitor ? " (monitor)" : "")}");
        }
        if (!any) Console.WriteLine("    (none)");
    }
}

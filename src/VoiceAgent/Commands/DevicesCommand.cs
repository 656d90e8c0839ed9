using System.CommandLine;
using VoiceAgent.Audio;
using VoiceAgent.Audio.Capture;

namespace VoiceAgent.Commands;

/// <summary><c>voice-agent devices</c>: the audio sources and sinks of the PulseAudio (or
/// PipeWire) server, with the names audio.input-device / audio.output-device take.</summary>
public static class DevicesCommand
{
    public static Command Create(GlobalOptions global)
    {
        var monitors = new Option<bool>("--monitors") { Description = "Also list sink monitors (sources that record what a sink plays)." };
        var command = new Command("devices", "List audio sources (microphones) and sinks (speakers) of the PulseAudio/PipeWire server; * marks the defaults.");
        command.Options.Add(monitors);
        command.SetAction(async (parse, cancellationToken) =>
        {
            AudioDeviceList devices;
            try
            {
                devices = await AudioDevices.ListAsync(cancellationToken: cancellationToken);
            }
            catch (AudioDeviceException e)
            {
                await Console.Error.WriteLineAsync($"voice-agent devices: {e.Message}. Without a server the assistant runs in text mode.");
                return 1;
            }
            var showMonitors = parse.GetValue(monitors);
            Console.WriteLine($"PulseAudio server: {devices.Server}");
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

using NAudio;
using NAudio.CoreAudioApi;
using NAudio.Wave;

namespace VoiceAgent.Audio.NAudio;

/// <summary>One Windows playback or recording endpoint. <paramref name="Name"/> is what
/// <c>audio.output-device</c> / <c>audio.input-device</c> take (any part of it will do).</summary>
public sealed record WindowsAudioEndpoint(string Name, string Id, bool IsCapture, bool IsDefault);

/// <summary>The endpoints found, and through which API (<c>"WASAPI"</c> or <c>"WinMM"</c>).</summary>
public sealed record WindowsAudioEndpoints(string Api, IReadOnlyList<WindowsAudioEndpoint> Endpoints);

/// <summary>A Windows audio device that is missing or cannot be used; the message is one line.</summary>
public sealed class WindowsAudioException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Opens and lists Windows audio devices: WASAPI in shared mode, event-driven, with a small
/// buffer (so what was handed to the device is heard within about one 20 ms piece), and WinMM
/// (WaveOut/WaveIn) where WASAPI fails. Every call throws <see cref="WindowsAudioException"/>
/// for a device problem, also on systems without Windows audio (there the COM and winmm.dll calls
/// fail, which is caught here like any other device failure).
/// </summary>
public static class WindowsAudio
{
    /// <summary>What the device itself buffers, in milliseconds: one playback piece.</summary>
    public const int DeviceBufferMilliseconds = 20;

    /// <summary>Opens a playback device for <paramref name="source"/> (which must never run dry:
    /// it fills with silence) and starts it. Empty <paramref name="device"/> is the default.</summary>
    public static (IWavePlayer Player, string Name) StartPlayer(string device, IWaveProvider source)
    {
        Exception wasapiFailure;
        try
        {
            using var enumerator = new MMDeviceEnumerator();
            var endpoint = FindEndpoint(enumerator, DataFlow.Render, device);
            var player = new WasapiOut(endpoint, AudioClientShareMode.Shared, useEventSync: true, DeviceBufferMilliseconds);
            return (Start(player, source), "wasapi:" + endpoint.FriendlyName);
        }
        catch (WindowsAudioException)
        {
            throw; // the named device does not exist: WinMM would not find it either
        }
        catch (Exception e)
        {
            wasapiFailure = e;
        }
        try
        {
            var (number, name) = FindWinMmDevice(device, WinMmOutputNames());
            // Three buffers of about one piece each: WinMM needs more than one in flight to play gaplessly.
            var player = new WaveOutEvent { DeviceNumber = number, DesiredLatency = 3 * DeviceBufferMilliseconds, NumberOfBuffers = 3 };
            return (Start(player, source), "winmm:" + name);
        }
        catch (WindowsAudioException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw Unavailable("playback", wasapiFailure, e);
        }
    }

    /// <summary>A recorder, not yet started: starting it tries WASAPI (in the device's mix format)
    /// and falls back to WinMM (opened at <paramref name="sampleRate"/> mono 16-bit), so start
    /// failures are handled in one place. What it delivers is described by its WaveFormat.</summary>
    public static FallbackRecorder OpenRecorder(string device, int sampleRate, int bufferMilliseconds) =>
        new FallbackRecorder(device, new WaveFormat(sampleRate, 16, 1), bufferMilliseconds);

    /// <summary>Every active playback and recording endpoint, by WASAPI, else by WinMM.</summary>
    public static WindowsAudioEndpoints ListEndpoints()
    {
        Exception wasapiFailure;
        try
        {
            using var enumerator = new MMDeviceEnumerator();
            var endpoints = new List<WindowsAudioEndpoint>();
            foreach (var (flow, capture) in new[] { (DataFlow.Capture, true), (DataFlow.Render, false) })
            {
                var defaultId = enumerator.HasDefaultAudioEndpoint(flow, Role.Console)
                    ? enumerator.GetDefaultAudioEndpoint(flow, Role.Console).ID
                    : null;
                foreach (var endpoint in enumerator.EnumerateAudioEndPoints(flow, DeviceState.Active))
                    endpoints.Add(new WindowsAudioEndpoint(endpoint.FriendlyName, endpoint.ID, capture, endpoint.ID == defaultId));
            }
            return new WindowsAudioEndpoints("WASAPI", endpoints);
        }
        catch (Exception e)
        {
            wasapiFailure = e;
        }
        try
        {
            var endpoints = WinMmInputNames().Select(n => new WindowsAudioEndpoint(n, n, true, false))
                .Concat(WinMmOutputNames().Select(n => new WindowsAudioEndpoint(n, n, false, false)))
                .ToList();
            return new WindowsAudioEndpoints("WinMM", endpoints);
        }
        catch (Exception e)
        {
            throw Unavailable("device listing", wasapiFailure, e);
        }
    }

    private static IWavePlayer Start(IWavePlayer player, IWaveProvider source)
    {
        try
        {
            player.Init(source);
            player.Play();
            return player;
        }
        catch
        {
            player.Dispose();
            throw;
        }
    }

    /// <summary>The default endpoint, or the first active one whose name contains
    /// <paramref name="wanted"/> (or whose id is it).</summary>
    internal static MMDevice FindEndpoint(MMDeviceEnumerator enumerator, DataFlow flow, string wanted)
    {
        if (string.IsNullOrWhiteSpace(wanted)) return enumerator.GetDefaultAudioEndpoint(flow, Role.Console);
        var endpoints = enumerator.EnumerateAudioEndPoints(flow, DeviceState.Active).ToList();
        return endpoints.FirstOrDefault(d => d.ID == wanted)
               ?? endpoints.FirstOrDefault(d => d.FriendlyName.Contains(wanted, StringComparison.OrdinalIgnoreCase))
               ?? throw NoMatch(wanted, endpoints.Count);
    }

    /// <summary>WinMM device number (-1: the default, WAVE_MAPPER) by number or part of its name.</summary>
    internal static (int Number, string Name) FindWinMmDevice(string wanted, IReadOnlyList<string> names)
    {
        if (string.IsNullOrWhiteSpace(wanted)) return (-1, "default");
        if (int.TryParse(wanted, out var number) && number >= 0 && number < names.Count) return (number, names[number]);
        for (var i = 0; i < names.Count; i++)
            if (names[i].Contains(wanted, StringComparison.OrdinalIgnoreCase)) return (i, names[i]);
        throw NoMatch(wanted, names.Count);
    }

    private static WindowsAudioException NoMatch(string wanted, int count) =>
        new($"no Windows audio device matches \"{wanted}\" ({count} found; list them with: voice-agent devices)");

    private static WindowsAudioException Unavailable(string what, Exception wasapi, Exception winmm) =>
        new($"Windows audio {what} is not available (WASAPI: {OneLine(wasapi)}; WinMM: {OneLine(winmm)})", winmm);

    /// <summary>The reason in a few words: a missing DLL's message lists every path probed.</summary>
    internal static string OneLine(Exception e)
    {
        var message = e.Message.ReplaceLineEndings(" ").Trim();
        if (e is DllNotFoundException && message.Split('\'') is [_, var library, ..]) return $"{library} is missing";
        return message;
    }

    internal static IReadOnlyList<string> WinMmInputNames() =>
        Enumerable.Range(0, WaveInEvent.DeviceCount).Select(i => WaveInEvent.GetCapabilities(i).ProductName).ToList();

    // WaveOut (the window-callback class) lives in NAudio.WinForms; the device count and names come
    // from WinMM directly.
    internal static IReadOnlyList<string> WinMmOutputNames()
    {
        var names = new List<string>();
        var count = WaveInterop.waveOutGetNumDevs();
        for (var i = 0; i < count; i++)
        {
            var result = WaveInterop.waveOutGetDevCaps((IntPtr)i, out var caps, System.Runtime.InteropServices.Marshal.SizeOf<WaveOutCapabilities>());
            names.Add(result == MmResult.NoError ? caps.ProductName : $"device {i}");
        }
        return names;
    }
}

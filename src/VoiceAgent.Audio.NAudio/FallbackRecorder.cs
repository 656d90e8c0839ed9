using NAudio.CoreAudioApi;
using NAudio.Wave;

namespace VoiceAgent.Audio.NAudio;

/// <summary>
/// A recorder that starts WASAPI capture (shared mode, event-driven, small buffer, the device's
/// mix format) and, when that fails, WinMM's WaveIn (in <c>format</c>, converted by WinMM). The device is chosen when recording starts, because WASAPI only reports
/// most failures then. Data and stop events of whichever device runs are passed on.
/// </summary>
public sealed class FallbackRecorder(string device, WaveFormat format, int bufferMilliseconds) : IWaveIn
{
    private IWaveIn? _device;

    public event EventHandler<WaveInEventArgs>? DataAvailable;

    public event EventHandler<StoppedEventArgs>? RecordingStopped;

    /// <summary>The WinMM format until recording starts, then the running device's.</summary>
    public WaveFormat WaveFormat
    {
        get => _device?.WaveFormat ?? format;
        set => throw new NotSupportedException("the format is chosen when the recorder is opened");
    }

    /// <summary>"wasapi:NAME" or "winmm:NAME" once started.</summary>
    public string Name { get; private set; } = "windows:" + (string.IsNullOrWhiteSpace(device) ? "default" : device);

    public void StartRecording()
    {
        if (_device is not null) throw new InvalidOperationException("already recording");
        Exception wasapiFailure;
        try
        {
            using var enumerator = new MMDeviceEnumerator();
            var endpoint = WindowsAudio.FindEndpoint(enumerator, DataFlow.Capture, device);
            // The device's own mix format (often 48 kHz stereo float), which shared mode always
            // accepts; the shared capture code converts it, as it is tested to.
            Start(new WasapiCapture(endpoint, useEventSync: true, bufferMilliseconds), "wasapi:" + endpoint.FriendlyName);
            return;
        }
        catch (WindowsAudioException)
        {
            throw;
        }
        catch (Exception e)
        {
            wasapiFailure = e;
        }
        try
        {
            var (number, name) = WindowsAudio.FindWinMmDevice(device, WindowsAudio.WinMmInputNames());
            Start(new WaveInEvent { DeviceNumber = number, WaveFormat = format, BufferMilliseconds = bufferMilliseconds, NumberOfBuffers = 4 }, "winmm:" + name);
        }
        catch (WindowsAudioException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw new WindowsAudioException(
                $"Windows audio recording is not available (WASAPI: {WindowsAudio.OneLine(wasapiFailure)}; WinMM: {WindowsAudio.OneLine(e)})", e);
        }
    }

    private void Start(IWaveIn recorder, string name)
    {
        recorder.DataAvailable += OnData;
        recorder.RecordingStopped += OnStopped;
        try
        {
            recorder.StartRecording();
        }
        catch
        {
            recorder.DataAvailable -= OnData;
            recorder.RecordingStopped -= OnStopped;
            recorder.Dispose();
            throw;
        }
        _device = recorder;
        Name = name;
    }

    private void OnData(object? sender, WaveInEventArgs e) => DataAvailable?.Invoke(this, e);

    private void OnStopped(object? sender, StoppedEventArgs e) => RecordingStopped?.Invoke(this, e);

    public void StopRecording() => _device?.StopRecording();

    public void Dispose()
    {
        _device?.Dispose();
        _device = null;
    }
}

using VoiceAgent.Audio.Hosting;
using VoiceAgent.Audio.Pulse;
using VoiceAgent.Dsp;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Audio.Diagnostics;

/// <summary>What a microphone delivered while it was measured.</summary>
public sealed record InputLevel(TimeSpan Heard, double RmsDbfs, double PeakDbfs);

/// <summary>What the audio doctor checks ask of the sound server: the real one is
/// <see cref="PulseAudioProbe"/>; tests stand in for it where a situation cannot be arranged (a
/// muted microphone, a server without a default source).</summary>
public interface IAudioDeviceProbe
{
    /// <summary>The server's sources and sinks; throws <see cref="AudioDeviceException"/> (one
    /// line) when no server answers. Never starts a server.</summary>
    Task<AudioDeviceList> ListAsync(CancellationToken cancellationToken);

    /// <summary>Records from <paramref name="device"/> (null: the default source) for
    /// <paramref name="duration"/>, or less when the source stops delivering.</summary>
    Task<InputLevel> MeasureInputAsync(string? device, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Opens a playback stream on <paramref name="device"/> (null: the default sink) and
    /// hands it a moment of silence; throws <see cref="AudioDeviceException"/> when it cannot.</summary>
    Task OpenOutputAsync(string? device, AudioSettings settings, CancellationToken cancellationToken);
}

/// <summary>The PulseAudio (or PipeWire-Pulse) server, through libpulse.</summary>
public sealed class PulseAudioProbe : IAudioDeviceProbe
{
    /// <summary>A source that delivers nothing for this long after the measurement should have
    /// ended is reported as silent (a pipe source with no writer, a stalled device).</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);

    public Task<AudioDeviceList> ListAsync(CancellationToken cancellationToken) =>
        AudioDevices.ListAsync(timeout: TimeSpan.FromSeconds(3), cancellationToken: cancellationToken);

    public async Task<InputLevel> MeasureInputAsync(string? device, TimeSpan duration, CancellationToken cancellationToken)
    {
        var capture = await Task.Run(() => new PulseAudioCapture(device), cancellationToken);
        var meter = new LevelMeter();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(duration + Grace);
        var wanted = Pcm16.SamplesFor(duration, CaptureFormat.SampleRate);
        try
        {
            await foreach (var frame in capture.ReadFramesAsync(stop.Token))
            {
                meter.Add(frame.Samples.Span);
                if (meter.Samples >= wanted) break;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The source went quiet: report what arrived.
        }
        finally
        {
            // Closing waits for the reader's current read, which a silent source never finishes.
            _ = Task.Run(() => capture.DisposeAsync().AsTask(), CancellationToken.None);
        }
        return new InputLevel(Pcm16.Duration(meter.Samples, CaptureFormat.SampleRate), meter.RmsDbfs, meter.PeakDbfs);
    }

    public Task OpenOutputAsync(string? device, AudioSettings settings, CancellationToken cancellationToken) =>
        Task.Run(() =>
        {
            using var output = new PulseAudioOutput(device, settings.OutputSampleRate, settings.PlaybackBuffer, settings.PlaybackPiece);
            // Less than the pre-buffer, so nothing is heard; the write proves the stream takes audio.
            output.Write(new short[Pcm16.SamplesFor(settings.PlaybackPiece, settings.OutputSampleRate)]);
            output.Flush();
        }, cancellationToken);
}

using System.Diagnostics;
using System.Runtime.CompilerServices;
using VoiceAgent.Dsp;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Audio.Capture;

/// <summary>
/// Capture from a WAV file (<c>input = wav</c>): resampled to 16 kHz, cut into 20 ms frames,
/// delivered in real time (like a microphone) or as fast as the reader takes them.
/// </summary>
public sealed class WavFileCapture : IAudioCapture
{
    private readonly short[] _samples;

    public WavFileCapture(string path, bool realTime = true)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new AudioDeviceException("voice-agent.audio.input = wav needs voice-agent.audio.input-file: set it to a 16-bit PCM WAV file.");
        WavAudio audio;
        try
        {
            audio = WavFile.Read(path);
        }
        catch (AudioFormatException e)
        {
            throw new AudioDeviceException(e.Message, e);
        }
        _samples = Resampler.Convert(audio.Samples, audio.SampleRate, CaptureFormat.SampleRate);
        Name = "wav:" + Path.GetFileName(path);
        RealTime = realTime;
    }

    public string Name { get; }

    public bool RealTime { get; }

    /// <summary>The whole file at 16 kHz.</summary>
    public ReadOnlyMemory<short> Samples => _samples;

    public async IAsyncEnumerable<AudioFrame> ReadFramesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var slicer = new FrameSlicer();
        var clock = Stopwatch.StartNew();
        var frames = slicer.Add(_samples).ToList();
        if (slicer.Finish() is { } last) frames.Add(last);
        foreach (var frame in frames)
        {
            if (RealTime)
            {
                // A frame is available once its last sample has been "spoken".
                var due = frame.Position + Pcm16.Duration(CaptureFormat.FrameSamples, CaptureFormat.SampleRate) - clock.Elapsed;
                if (due > TimeSpan.Zero) await Task.Delay(due, cancellationToken);
            }
            cancellationToken.ThrowIfCancellationRequested();
            yield return frame;
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

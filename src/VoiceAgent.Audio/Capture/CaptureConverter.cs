using NAudio.Wave;
using VoiceAgent.Dsp;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Audio.Capture;

/// <summary>
/// Turns what a recording device delivers (PCM or float, any channel count, any rate; WASAPI
/// hands out its mix format, often 48 kHz stereo float) into 16 kHz mono s16
/// (<see cref="CaptureFormat"/>), as a stream: buffers may end in the middle of a sample frame,
/// and the result does not depend on how the device cuts its buffers.
/// </summary>
internal sealed class CaptureConverter
{
    private readonly MonoPcmConverter _mono;
    private readonly Resampler? _resampler;

    public CaptureConverter(WaveFormat deviceFormat)
    {
        try
        {
            _mono = new MonoPcmConverter(deviceFormat);
        }
        catch (AudioFormatException e)
        {
            throw new AudioDeviceException($"the recording device delivers {e.Message}", e);
        }
        _resampler = _mono.SampleRate == CaptureFormat.SampleRate ? null : new Resampler(_mono.SampleRate, CaptureFormat.SampleRate);
    }

    /// <summary>Takes one device buffer and returns the 16 kHz mono samples it completes.</summary>
    public short[] Convert(byte[] buffer, int count)
    {
        var mono = _mono.Convert(buffer.AsSpan(0, count));
        return _resampler is null ? mono : _resampler.Process(mono);
    }
}

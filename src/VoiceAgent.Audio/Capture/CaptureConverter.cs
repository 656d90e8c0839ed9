using NAudio.Wave;
using VoiceAgent.Protocol;

namespace VoiceAgent.Audio.Capture;

/// <summary>
/// Turns what a recording device delivers (8/16/24/32-bit PCM or float, any channel count, any
/// rate; WASAPI hands out its mix format, often 48 kHz stereo float) into 16 kHz mono s16
/// (<see cref="CaptureFormat"/>), as a stream: buffers may end in the middle of a sample frame,
/// and the result does not depend on how the device cuts its buffers.
/// </summary>
internal sealed class CaptureConverter
{
    private readonly BufferedWaveProvider _input;
    private readonly ISampleProvider _samples;
    private readonly int _channels;
    private readonly Resampler? _resampler;
    private float[] _read = new float[4096];

    public CaptureConverter(WaveFormat deviceFormat)
    {
        var format = deviceFormat is WaveFormatExtensible extensible ? extensible.ToStandardWaveFormat() : deviceFormat;
        _input = new BufferedWaveProvider(format) { ReadFully = false, DiscardOnBufferOverflow = false, BufferDuration = TimeSpan.FromSeconds(2) };
        try
        {
            _samples = _input.ToSampleProvider();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new AudioDeviceException($"the recording device delivers {format} audio, which cannot be converted: {e.Message}", e);
        }
        _channels = format.Channels;
        _resampler = format.SampleRate == CaptureFormat.SampleRate ? null : new Resampler(format.SampleRate, CaptureFormat.SampleRate);
    }

    /// <summary>Takes one device buffer and returns the 16 kHz mono samples it completes.</summary>
    public short[] Convert(byte[] buffer, int count)
    {
        _input.AddSamples(buffer, 0, count);
        // Whole sample frames only; a partial one waits for the next buffer.
        var frames = _input.BufferedBytes / _input.WaveFormat.BlockAlign;
        var wanted = frames * _channels;
        if (_read.Length < wanted) _read = new float[wanted];
        var read = _samples.Read(_read, 0, wanted);
        var mono = new short[read / _channels];
        for (var i = 0; i < mono.Length; i++)
        {
            var sum = 0f;
            for (var c = 0; c < _channels; c++) sum += _read[i * _channels + c];
            mono[i] = Pcm16.FromFloat(sum / _channels);
        }
        return _resampler is null ? mono : _resampler.Process(mono);
    }
}

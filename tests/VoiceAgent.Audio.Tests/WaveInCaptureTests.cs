using NAudio.Wave;
using VoiceAgent.Audio.Capture;
using VoiceAgent.Dsp;
using VoiceAgent.Core.Protocol;
using VoiceAgent.TestSupport;

namespace VoiceAgent.Audio.Tests;

/// <summary>The capture code the Windows backend runs above the device, on a test double of a
/// recorder that hands out buffers in the device's own format.</summary>
public sealed class WaveInCaptureTests
{
    private static async Task<List<AudioFrame>> ReadAsync(WaveInCapture capture, int count)
    {
        var frames = new List<AudioFrame>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (var frame in capture.ReadFramesAsync(timeout.Token))
        {
            frames.Add(frame);
            if (frames.Count == count) break;
        }
        return frames;
    }

    [Fact]
    public async Task A_48_kHz_stereo_float_device_gives_16_kHz_mono_frames_whatever_its_buffers_cut()
    {
        var recorder = new FakeRecorder(WaveFormat.CreateIeeeFloatWaveFormat(48_000, 2));
        await using var capture = new WaveInCapture(recorder, () => "fake mic");
        Assert.True(recorder.Recording);

        // 440 Hz on the left, 1 kHz on the right, as float frames; delivered in pieces that split samples.
        var tone = Signals.Sine(440, 48_000, 0.5, 0.6);
        var other = Signals.Sine(1000, 48_000, 0.5, 0.2);
        var bytes = new byte[tone.Length * 8];
        for (var i = 0; i < tone.Length; i++)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(i * 8), tone[i] / 32768f);
            BitConverter.TryWriteBytes(bytes.AsSpan(i * 8 + 4), other[i] / 32768f);
        }
        for (var offset = 0; offset < bytes.Length; offset += 1001)
            recorder.Deliver(bytes[offset..Math.Min(bytes.Length, offset + 1001)]);

        var frames = await ReadAsync(capture, 24);
        // The mono mix, resampled as one piece, is what the frames hold, sample for sample.
        var mono = tone.Select((s, i) => Pcm16.FromFloat((s / 32768f + other[i] / 32768f) / 2)).ToArray();
        var expected = Resampler.Convert(mono, 48_000, CaptureFormat.SampleRate);
        var got = frames.SelectMany(f => f.Samples.ToArray()).ToArray();
        Assert.Equal(expected.AsSpan(0, got.Length).ToArray(), got);
        Assert.Equal(Enumerable.Range(0, 24).Select(i => TimeSpan.FromMilliseconds(20 * i)), frames.Select(f => f.Position));
        Assert.InRange(Signals.AmplitudeAt(got, 440, CaptureFormat.SampleRate), 0.28, 0.32);
    }

    [Fact]
    public async Task A_16_kHz_mono_device_passes_its_samples_through_unchanged()
    {
        var recorder = new FakeRecorder(new WaveFormat(16_000, 16, 1));
        await using var capture = new WaveInCapture(recorder, () => "fake mic");
        var speech = Signals.Sine(300, 16_000, 0.1);
        recorder.Deliver(Pcm16.ToBytes(speech));

        var frames = await ReadAsync(capture, 5);
        Assert.Equal(speech, frames.SelectMany(f => f.Samples.ToArray()));
    }

    [Fact]
    public async Task A_device_that_stops_with_an_error_ends_the_frames_with_one_line()
    {
        var recorder = new FakeRecorder(new WaveFormat(16_000, 16, 1));
        await using var capture = new WaveInCapture(recorder, () => "fake mic");
        recorder.Fail(new IOException("the microphone was unplugged"));

        var e = await Assert.ThrowsAsync<AudioDeviceException>(() => ReadAsync(capture, 1));
        Assert.Equal("fake mic stopped: the microphone was unplugged", e.Message);
    }

    [Fact]
    public void A_device_that_cannot_start_is_one_line_at_open_and_is_released()
    {
        var recorder = new FakeRecorder(new WaveFormat(16_000, 16, 1)) { StartFailure = new InvalidOperationException("in use by another program") };
        var e = Assert.Throws<AudioDeviceException>(() => new WaveInCapture(recorder, () => "fake mic"));
        Assert.Equal("cannot record from fake mic: in use by another program", e.Message);
        Assert.True(recorder.Disposed);
    }
}

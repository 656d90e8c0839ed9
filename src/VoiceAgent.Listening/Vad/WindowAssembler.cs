using VoiceAgent.Dsp;

namespace VoiceAgent.Listening.Vad;

/// <summary>One model window of audio and where it sits on the capture clock.</summary>
public readonly record struct AudioWindow(float[] Samples, TimeSpan Start, TimeSpan End);

/// <summary>
/// Regroups capture frames (20 ms) into the model's windows (32 ms) and stamps each with the
/// capture-clock time of its first and one-past-last sample. Frames must be contiguous; a gap
/// (dropped frames) restarts the grouping at the new position.
/// </summary>
public sealed class WindowAssembler(int windowSamples, int sampleRate)
{
    private readonly float[] _pending = new float[windowSamples];
    private int _filled;
    private long _windowStartSample;
    private long _nextSample = -1;

    public IEnumerable<AudioWindow> Add(ReadOnlySpan<float> frame, TimeSpan position)
    {
        var windows = new List<AudioWindow>();
        var first = Pcm16.SampleAt(position, sampleRate);
        if (first != _nextSample)
        {
            _filled = 0;
            _windowStartSample = first;
        }
        for (var i = 0; i < frame.Length; i++)
        {
            if (_filled == 0) _windowStartSample = first + i;
            _pending[_filled++] = frame[i];
            if (_filled == windowSamples)
            {
                windows.Add(new AudioWindow(_pending.ToArray(), Time(_windowStartSample), Time(_windowStartSample + windowSamples)));
                _filled = 0;
            }
        }
        _nextSample = first + frame.Length;
        return windows;
    }

    private TimeSpan Time(long sample) => Pcm16.Duration(sample, sampleRate);
}

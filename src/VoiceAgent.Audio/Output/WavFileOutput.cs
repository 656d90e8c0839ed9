using VoiceAgent.Dsp;

namespace VoiceAgent.Audio.Output;

/// <summary>
/// Output for <c>output = wav</c>: everything played goes into one WAV file (the header is kept
/// valid after every write, so the file can be read while the app runs). Optionally paced in
/// real time, so interruptions cut the file where a listener would have stopped hearing.
/// </summary>
public sealed class WavFileOutput : IAudioOutput
{
    private readonly WavWriter _writer;
    private readonly NullAudioOutput? _pace;

    public WavFileOutput(string path, int sampleRate, bool realTime = false)
    {
        Path = path;
        SampleRate = sampleRate;
        _writer = new WavWriter(path, sampleRate);
        _pace = realTime ? new NullAudioOutput(sampleRate) : null;
    }

    public string Path { get; }

    public string Name => "wav:" + System.IO.Path.GetFileName(Path);

    public int SampleRate { get; }

    public TimeSpan BufferSize => TimeSpan.Zero;

    public TimeSpan Latency => TimeSpan.Zero;

    public void Write(ReadOnlySpan<short> samples)
    {
        _writer.Write(samples);
        _writer.Flush();
        _pace?.Write(samples);
    }

    public TimeSpan Flush() => TimeSpan.Zero;

    public void Drain() => _writer.Flush();

    public void Dispose() => _writer.Dispose();
}

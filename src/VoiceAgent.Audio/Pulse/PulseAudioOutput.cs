using VoiceAgent.Audio.Output;
using static VoiceAgent.Audio.Pulse.PulseSimpleNative;

namespace VoiceAgent.Audio.Pulse;

/// <summary>
/// Playback through PulseAudio (or PipeWire's PulseAudio service). One stream stays open for
/// the whole session: the first playback on an idle sink can start over a second late. The
/// device buffer is small (<c>playback-buffer</c>, tlength) so a flush silences it at once.
/// </summary>
public sealed class PulseAudioOutput : IAudioOutput
{
    private readonly PulseStream _stream;

    /// <param name="device">A sink name; null or empty for the default sink.</param>
    /// <param name="server">A server address; null uses PULSE_SERVER or the default.</param>
    public PulseAudioOutput(string? device, int sampleRate, TimeSpan buffer, TimeSpan piece, string? server = null)
    {
        SampleRate = sampleRate;
        BufferSize = buffer;
        var attributes = new BufferAttr
        {
            MaxLength = uint.MaxValue,
            TLength = PulseStream.Bytes(buffer, sampleRate),
            // Start after two pieces rather than a full buffer: a reply starts sooner.
            PreBuf = PulseStream.Bytes(piece * 2, sampleRate),
            MinReq = PulseStream.Bytes(piece, sampleRate),
            FragSize = uint.MaxValue,
        };
        _stream = PulseStream.Open(server, playback: true, device, "voice-agent playback", sampleRate, attributes);
    }

    public string Name => _stream.Name;

    public int SampleRate { get; }

    public TimeSpan BufferSize { get; }

    public TimeSpan Latency => _stream.Latency;

    public void Write(ReadOnlySpan<short> samples) => _stream.Write(samples);

    public TimeSpan Flush() => _stream.Flush();

    public void Drain() => _stream.Drain();

    public void Dispose() => _stream.Dispose();
}

using NAudio.Wave;

namespace VoiceAgent.Dsp;

/// <summary>
/// Turns uncompressed audio bytes in any format NAudio reads — 8/16/24/32-bit PCM or 32/64-bit
/// float, any channel count, WAVE_FORMAT_EXTENSIBLE included — into mono s16 at the same rate, as
/// a stream: a buffer may end inside a sample frame; the rest waits for the next one. Channels are
/// averaged; 16-bit mono passes through unchanged.
/// </summary>
public sealed class MonoPcmConverter
{
    private readonly WaveFormat _format;
    private byte[] _carry = [];
    private float[] _floats = [];

    /// <exception cref="AudioFormatException">The format is not PCM or float (ADPCM, µ-law, MP3 in WAV...).</exception>
    public MonoPcmConverter(WaveFormat format)
    {
        _format = Standard(format);
        if (_format.Encoding is not (WaveFormatEncoding.Pcm or WaveFormatEncoding.IeeeFloat) || _format.Channels < 1 ||
            (_format.Encoding == WaveFormatEncoding.Pcm && _format.BitsPerSample is not (8 or 16 or 24 or 32)) ||
            (_format.Encoding == WaveFormatEncoding.IeeeFloat && _format.BitsPerSample is not (32 or 64)))
            throw new AudioFormatException($"{Describe(format)} audio is not supported: use PCM or float (convert with: sox IN -b 16 OUT.wav)");
    }

    /// <summary>WAVE_FORMAT_EXTENSIBLE as the plain PCM or float format it carries. Devices hand
    /// out <see cref="WaveFormatExtensible"/>; a file's format chunk reads as extra data whose
    /// sub-format GUID starts with the plain format tag.</summary>
    private static WaveFormat Standard(WaveFormat format)
    {
        if (format is WaveFormatExtensible extensible) return extensible.ToStandardWaveFormat();
        if (format.Encoding != WaveFormatEncoding.Extensible || format is not WaveFormatExtraData { ExtraData.Length: >= 22 } extra) return format;
        var tag = (WaveFormatEncoding)BitConverter.ToUInt16(extra.ExtraData, 6);
        return tag is WaveFormatEncoding.Pcm or WaveFormatEncoding.IeeeFloat
            ? WaveFormat.CreateCustomFormat(tag, format.SampleRate, format.Channels,
                format.SampleRate * format.BlockAlign, format.BlockAlign, format.BitsPerSample)
            : format;
    }

    public int SampleRate => _format.SampleRate;

    public int Channels => _format.Channels;

    /// <summary>"16-bit PCM, 2 channel(s)", for messages.</summary>
    public static string Describe(WaveFormat format) =>
        $"{format.BitsPerSample}-bit {format.Encoding}, {format.Channels} channel(s)";

    public short[] Convert(ReadOnlySpan<byte> bytes)
    {
        var frameBytes = _format.Channels * _format.BitsPerSample / 8;
        byte[] data = _carry.Length == 0 ? bytes.ToArray() : [.. _carry, .. bytes];
        var whole = data.Length - data.Length % frameBytes;
        _carry = data[whole..];
        if (whole == 0) return [];

        var samples = new RawSourceWaveStream(data, 0, whole, _format).ToSampleProvider();
        var count = whole / frameBytes * _format.Channels;
        if (_floats.Length < count) _floats = new float[count];
        var read = 0;
        while (read < count)
        {
            var n = samples.Read(_floats, read, count - read);
            if (n == 0) break;
            read += n;
        }
        var mono = new short[read / _format.Channels];
        for (var i = 0; i < mono.Length; i++)
        {
            var sum = 0f;
            for (var c = 0; c < _format.Channels; c++) sum += _floats[i * _format.Channels + c];
            mono[i] = Pcm16.FromFloat(sum / _format.Channels);
        }
        return mono;
    }
}

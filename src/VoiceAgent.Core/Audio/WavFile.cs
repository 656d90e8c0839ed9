using System.Buffers.Binary;
using System.Text;

namespace VoiceAgent.Audio;

/// <summary>PCM audio read from a WAV file, mixed down to mono.</summary>
public sealed record WavAudio(short[] Samples, int SampleRate)
{
    public TimeSpan Duration => Pcm16.Duration(Samples.Length, SampleRate);
}

/// <summary>Reads and writes 16-bit PCM WAV (RIFF) files.</summary>
public static class WavFile
{
    public static WavAudio Read(string path)
    {
        if (!File.Exists(path))
            throw new AudioFormatException($"WAV file not found: {path}");
        return Parse(File.ReadAllBytes(path), path);
    }

    public static WavAudio Parse(ReadOnlySpan<byte> data, string name = "WAV data")
    {
        if (data.Length < 12 || !data[..4].SequenceEqual("RIFF"u8) || !data.Slice(8, 4).SequenceEqual("WAVE"u8))
            throw new AudioFormatException($"{name} is not a RIFF/WAVE file.");

        int channels = 0, rate = 0, bits = 0, format = 0;
        var offset = 12;
        while (offset + 8 <= data.Length)
        {
            var id = Encoding.ASCII.GetString(data.Slice(offset, 4));
            var size = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(offset + 4, 4)), (uint)(data.Length - offset - 8));
            var body = data.Slice(offset + 8, size);
            if (id == "fmt ")
            {
                format = BinaryPrimitives.ReadUInt16LittleEndian(body);
                channels = BinaryPrimitives.ReadUInt16LittleEndian(body[2..]);
                rate = BinaryPrimitives.ReadInt32LittleEndian(body[4..]);
                bits = BinaryPrimitives.ReadUInt16LittleEndian(body[14..]);
                // WAVE_FORMAT_EXTENSIBLE carries the real format in its sub-format GUID.
                if (format == 0xFFFE && body.Length >= 26) format = BinaryPrimitives.ReadUInt16LittleEndian(body[24..]);
            }
            else if (id == "data")
            {
                if (format != 1 || bits != 16 || channels < 1)
                    throw new AudioFormatException($"{name} must be 16-bit PCM (found format {format}, {bits}-bit, {channels} channel(s)); convert it with: sox IN -b 16 OUT.wav");
                return new WavAudio(MixToMono(body, channels), rate);
            }
            offset += 8 + size + (size & 1);
        }
        throw new AudioFormatException($"{name} has no 'fmt ' and 'data' chunks.");
    }

    private static short[] MixToMono(ReadOnlySpan<byte> body, int channels)
    {
        var frames = body.Length / (2 * channels);
        var mono = new short[frames];
        for (var i = 0; i < frames; i++)
        {
            var sum = 0;
            for (var c = 0; c < channels; c++)
                sum += BinaryPrimitives.ReadInt16LittleEndian(body.Slice((i * channels + c) * 2, 2));
            mono[i] = (short)(sum / channels);
        }
        return mono;
    }

    /// <summary>A complete mono 16-bit WAV file in memory.</summary>
    public static byte[] Encode(ReadOnlySpan<short> samples, int sampleRate)
    {
        var bytes = new byte[44 + samples.Length * 2];
        WriteHeader(bytes, sampleRate, samples.Length * 2);
        Pcm16.ToBytes(samples).CopyTo(bytes, 44);
        return bytes;
    }

    /// <summary>The 44-byte header of a mono 16-bit WAV file whose data is <paramref name="dataBytes"/>
    /// long, for writing the data after it piece by piece.</summary>
    public static byte[] Header(int sampleRate, int dataBytes)
    {
        var header = new byte[44];
        WriteHeader(header, sampleRate, dataBytes);
        return header;
    }

    public static void Write(string path, ReadOnlySpan<short> samples, int sampleRate) =>
        File.WriteAllBytes(path, Encode(samples, sampleRate));

    internal static void WriteHeader(Span<byte> header, int sampleRate, int dataBytes)
    {
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], 36 + dataBytes);
        "WAVEfmt "u8.CopyTo(header[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(header[20..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(header[22..], 1);
        BinaryPrimitives.WriteInt32LittleEndian(header[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(header[28..], sampleRate * 2);
        BinaryPrimitives.WriteInt16LittleEndian(header[32..], 2);
        BinaryPrimitives.WriteInt16LittleEndian(header[34..], 16);
        "data"u8.CopyTo(header[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(header[40..], dataBytes);
    }
}

/// <summary>Writes a mono 16-bit WAV file incrementally; the header is completed on dispose, so
/// a file stays valid (if shorter) when the writer is disposed early.</summary>
public sealed class WavWriter : IDisposable
{
    private readonly FileStream _stream;
    private int _dataBytes;

    public WavWriter(string path, int sampleRate)
    {
        SampleRate = sampleRate;
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        _stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        _stream.Write(new byte[44]);
        UpdateHeader();
    }

    public int SampleRate { get; }

    public long SamplesWritten => _dataBytes / 2;

    public void Write(ReadOnlySpan<short> samples)
    {
        _stream.Write(Pcm16.ToBytes(samples));
        _dataBytes += samples.Length * 2;
    }

    public void Flush()
    {
        UpdateHeader();
        _stream.Flush();
    }

    private void UpdateHeader()
    {
        var header = new byte[44];
        WavFile.WriteHeader(header, SampleRate, _dataBytes);
        var position = _stream.Position;
        _stream.Position = 0;
        _stream.Write(header);
        _stream.Position = position;
    }

    public void Dispose()
    {
        UpdateHeader();
        _stream.Dispose();
    }
}

public sealed class AudioFormatException(string message) : Exception(message);

using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using NAudio.FileFormats.Wav;
using NAudio.Wave;

namespace VoiceAgent.Dsp;

/// <summary>PCM audio read from a WAV file, mixed down to mono.</summary>
public sealed record WavAudio(short[] Samples, int SampleRate)
{
    public TimeSpan Duration => Pcm16.Duration(Samples.Length, SampleRate);
}

/// <summary>Reads and writes WAV (RIFF) files through NAudio's <see cref="WaveFileReader"/> and
/// <see cref="WaveFileWriter"/>. Reading takes PCM (8 to 32 bits) and float, any channels, mixed to
/// mono s16; writing makes mono 16-bit PCM.</summary>
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
        var bytes = Lenient(data);
        try
        {
            using var reader = new WaveFileReader(new LenientStream(bytes));
            // A declared length past the end of the file (a streaming writer's) ends at the end.
            var pcm = new byte[Math.Min(reader.Length, bytes.Length)];
            var read = 0;
            int n;
            while (read < pcm.Length && (n = reader.Read(pcm, read, pcm.Length - read)) > 0) read += n;
            var converter = new MonoPcmConverter(reader.WaveFormat);
            return new WavAudio(converter.Convert(pcm.AsSpan(0, read - read % reader.BlockAlign)), reader.WaveFormat.SampleRate);
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or EndOfStreamException or ArgumentException)
        {
            throw new AudioFormatException($"{name} is not a readable WAV file: {e.Message}");
        }
        catch (AudioFormatException e)
        {
            throw new AudioFormatException($"{name}: {e.Message}");
        }
    }

    /// <summary>
    /// Reads the header at the start of a WAV stream that is still arriving (a TTS server's
    /// segment): true with the format and where the sample data starts once the header up to the
    /// data chunk is complete, false while it is not. Throws <see cref="AudioFormatException"/>
    /// when the bytes are not WAV.
    /// </summary>
    public static bool TryParseHeader(ReadOnlySpan<byte> data, [NotNullWhen(true)] out WaveFormat? format, out int dataOffset)
    {
        format = null;
        dataOffset = 0;
        if (data.Length < 12) return false;
        if (!data[..4].SequenceEqual("RIFF"u8) || !data.Slice(8, 4).SequenceEqual("WAVE"u8))
            throw new AudioFormatException("the audio is not WAV (no RIFF/WAVE header)");
        var reader = new WaveFileChunkReader();
        try
        {
            reader.ReadWaveHeader(new LenientStream(Lenient(data)));
        }
        // The header ends inside a chunk, or before the data chunk: more is to come.
        catch (Exception e) when (e is EndOfStreamException or FormatException or InvalidDataException)
        {
            return false;
        }
        format = reader.WaveFormat;
        dataOffset = (int)reader.DataChunkPosition;
        return true;
    }

    /// <summary>A copy whose RIFF size covers the bytes: a streaming writer (espeak-ng --stdout,
    /// some TTS servers) may leave it at 0, and NAudio reads chunks only within that size.</summary>
    private static byte[] Lenient(ReadOnlySpan<byte> data)
    {
        var bytes = data.ToArray();
        if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)) < 4)
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)(bytes.Length - 8));
        return bytes;
    }

    /// <summary>A complete mono 16-bit WAV file in memory.</summary>
    public static byte[] Encode(ReadOnlySpan<short> samples, int sampleRate)
    {
        var file = new MemoryStream();
        using (var writer = new WaveFileWriter(file, new WaveFormat(sampleRate, 16, 1)))
            writer.Write(Pcm16.ToBytes(samples));
        return file.ToArray(); // readable after the writer closed the stream
    }

    /// <summary>The header of a mono 16-bit WAV file whose data is <paramref name="dataBytes"/> long
    /// (the header <see cref="Encode"/> writes, with the lengths filled in), for sending the data
    /// after it piece by piece.</summary>
    public static byte[] Header(int sampleRate, int dataBytes)
    {
        var header = Encode([], sampleRate);
        // The data chunk's size is the header's last field; the RIFF size covers everything after it.
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), header.Length - 8 + dataBytes);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(header.Length - 4), dataBytes);
        return header;
    }

    public static void Write(string path, ReadOnlySpan<short> samples, int sampleRate)
    {
        using var writer = new WavWriter(path, sampleRate);
        writer.Write(samples);
    }
}

/// <summary>Writes a mono 16-bit WAV file incrementally. The header is brought up to date on
/// <see cref="Flush"/> and on dispose, so the file stays valid (if shorter) while it grows, can be
/// read meanwhile, and survives a writer disposed early.</summary>
public sealed class WavWriter : IDisposable
{
    private readonly WaveFileWriter _writer;

    public WavWriter(string path, int sampleRate)
    {
        SampleRate = sampleRate;
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        _writer = new WaveFileWriter(stream, new WaveFormat(sampleRate, 16, 1));
        _writer.Flush();
    }

    public int SampleRate { get; }

    public long SamplesWritten => _writer.Length / 2;

    public void Write(ReadOnlySpan<short> samples) => _writer.Write(Pcm16.ToBytes(samples));

    public void Flush() => _writer.Flush();

    public void Dispose() => _writer.Dispose();
}

public sealed class AudioFormatException(string message) : Exception(message);

/// <summary>A file in memory where seeking past the end stops at the end. A streaming writer
/// declares a data chunk of nearly 2 GB (espeak-ng --stdout writes 0x7FFFF000); NAudio seeks over
/// the chunk, which a plain MemoryStream refuses beyond 2 GB.</summary>
internal sealed class LenientStream(byte[] bytes) : MemoryStream(bytes, writable: false)
{
    public override long Position
    {
        get => base.Position;
        set => base.Position = Math.Clamp(value, 0, Length);
    }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => Position + offset,
        _ => Length + offset,
    };
}

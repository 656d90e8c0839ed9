using System.Runtime.InteropServices;

namespace VoiceAgent.TtsServer.Synthesis.Processes;

/// <summary>
/// The messages between the TTS server and a synthesis worker process, over the worker's standard
/// input and output: a one-byte kind, then little-endian fields (strings length-prefixed UTF-8, as
/// <see cref="BinaryWriter"/> writes them). A worker serves one request at a time.
/// Server to worker: <see cref="Speak"/> (job, voice, speed, sentence goes on, text), <see cref="Cancel"/> (job).
/// Worker to server: <see cref="Hello"/> (sample rate, voices) or <see cref="Unavailable"/>
/// (why espeak-ng cannot run) once at start; then per job <see cref="Audio"/> blocks and one of
/// <see cref="Done"/>, <see cref="Cancelled"/>, <see cref="Failed"/>.
/// </summary>
internal static class WorkerWire
{
    public const byte Speak = (byte)'S';
    public const byte Cancel = (byte)'C';
    public const byte Hello = (byte)'H';
    public const byte Unavailable = (byte)'U';
    public const byte Audio = (byte)'A';
    public const byte Done = (byte)'D';
    public const byte Cancelled = (byte)'K';
    public const byte Failed = (byte)'F';

    /// <summary>UTF-8 that replaces a lone surrogate instead of throwing (the text may hold one).</summary>
    public static readonly System.Text.Encoding Text = new System.Text.UTF8Encoding(false, false);

    /// <summary>Largest audio block a worker sends (espeak-ng hands out at most its buffer length,
    /// 200 ms); a larger count means the stream is corrupt.</summary>
    public const int MaxBlockSamples = 1 << 20;

    public static void WriteSamples(BinaryWriter writer, int job, ReadOnlySpan<short> samples)
    {
        writer.Write(Audio);
        writer.Write(job);
        writer.Write(samples.Length);
        writer.Write(MemoryMarshal.AsBytes(samples));
    }

    public static short[] ReadSamples(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        if (count is < 0 or > MaxBlockSamples) throw new InvalidDataException($"synthesis worker sent a block of {count} samples");
        var samples = new short[count];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(samples.AsSpan()));
        return samples;
    }

    public static void WriteVoices(BinaryWriter writer, int sampleRate, IReadOnlyList<EspeakVoice> voices)
    {
        writer.Write(Hello);
        writer.Write(sampleRate);
        writer.Write(voices.Count);
        foreach (var voice in voices)
        {
            writer.Write(voice.Id);
            writer.Write(voice.Identifier);
            writer.Write(voice.Name);
            writer.Write(voice.Language);
        }
    }

    public static List<EspeakVoice> ReadVoices(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        var voices = new List<EspeakVoice>(count);
        for (var i = 0; i < count; i++)
            voices.Add(new EspeakVoice(reader.ReadString(), reader.ReadString(), reader.ReadString(), reader.ReadString()));
        return voices;
    }
}

using VoiceAgent.Dsp;

namespace VoiceAgent.TtsServer.Audio;

/// <summary>How a session wants its audio.</summary>
public sealed record AudioSpec(AudioFormat Format, int SampleRate, int Mp3BitrateKbps, bool Id3Tag);

/// <summary>Turns one segment's synthesized samples into the bytes a session sends, and splits
/// them into WebSocket-sized pieces (MP3 on frame boundaries, PCM on sample boundaries).</summary>
public static class SegmentAudio
{
    /// <summary>The whole segment at once (WAV needs its length up front, an MP3 file's Info
    /// frame its frame count and padding; concatenated frames carry the whole segment anyway).</summary>
    public static byte[] Encode(short[] samples, int engineRate, AudioSpec spec)
    {
        if (spec.Format == AudioFormat.Linear16)
        {
            using var encoder = new SegmentStreamEncoder(engineRate, spec);
            return [.. encoder.Push(samples), .. encoder.Finish()];
        }
        var pcm = engineRate == spec.SampleRate ? samples : Resampler.Convert(samples, engineRate, spec.SampleRate);
        if (spec.Format == AudioFormat.Wav) return WavFile.Encode(pcm, spec.SampleRate);
        var mp3 = Mp3Encoder.Encode(pcm, spec.SampleRate, spec.Mp3BitrateKbps);
        return spec.Id3Tag ? [.. Id3Tag.Bytes, .. mp3] : mp3;
    }

    public static List<byte[]> Split(byte[] audio, AudioFormat format, int targetBytes)
    {
        var pieces = new List<byte[]>();
        var offset = 0;
        while (offset < audio.Length)
        {
            var length = ReadyLength(audio.AsSpan(offset), format, targetBytes, final: true);
            pieces.Add(audio[offset..(offset + length)]);
            offset += length;
        }
        return pieces;
    }

    /// <summary>How many leading bytes of <paramref name="pending"/> make a piece of at least
    /// <paramref name="targetBytes"/> (whole MP3 frames or whole samples), or 0 if not enough yet.
    /// With <paramref name="final"/>, whatever is left is a piece too.</summary>
    public static int ReadyLength(ReadOnlySpan<byte> pending, AudioFormat format, int targetBytes, bool final)
    {
        if (pending.IsEmpty) return 0;
        if (format != AudioFormat.Mp3)
        {
            var step = Math.Max(2, targetBytes & ~1); // whole 16-bit samples
            if (pending.Length >= step) return step;
            return final ? pending.Length : 0;
        }
        var position = Id3Tag.LengthAt(pending); // the tag travels with the first frame
        var end = 0;
        while (position < pending.Length)
        {
            if (end > 0 && Id3Tag.LengthAt(pending[position..]) > 0) return end; // the next file starts: a piece never spans two
            var length = Mp3Frames.FrameLength(pending, position);
            if (length <= 0) return final ? pending.Length : end; // not a frame: keep the rest together
            if (position + length > pending.Length) break;       // incomplete frame: wait
            if (position + length > targetBytes && end > 0) return end;
            position += length;
            end = position;
            if (end >= targetBytes) return end;
        }
        return final ? pending.Length : end >= targetBytes ? end : 0;
    }
}

/// <summary>Resamples one linear16 segment block by block, so the first audio frame can leave
/// before the whole segment is converted. (WAV and MP3 segments are encoded whole: their headers
/// need the segment's length.)</summary>
public sealed class SegmentStreamEncoder : IDisposable
{
    private readonly Resampler? _resampler;

    public SegmentStreamEncoder(int engineRate, AudioSpec spec)
    {
        if (spec.Format != AudioFormat.Linear16) throw new ArgumentException($"{spec.Format} segments are encoded whole.", nameof(spec));
        _resampler = engineRate == spec.SampleRate ? null : new Resampler(engineRate, spec.SampleRate);
    }

    public byte[] Push(ReadOnlySpan<short> engineSamples) =>
        Pcm16.ToBytes(_resampler is null ? engineSamples.ToArray() : _resampler.Process(engineSamples));

    public byte[] Finish() => Pcm16.ToBytes(_resampler?.Flush() ?? []);

    public void Dispose()
    {
    }
}

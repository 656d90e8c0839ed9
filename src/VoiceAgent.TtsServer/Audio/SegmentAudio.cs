using VoiceAgent.Audio;

namespace VoiceAgent.TtsServer.Audio;

/// <summary>How a session wants its audio.</summary>
public sealed record AudioSpec(AudioFormat Format, int SampleRate, int Mp3BitrateKbps, bool Id3Tag);

/// <summary>Turns one segment's synthesized samples into the bytes a session sends, and splits
/// them into WebSocket-sized pieces (MP3 on frame boundaries, PCM on sample boundaries).</summary>
public static class SegmentAudio
{
    /// <summary>The whole segment at once (WAV needs its length up front; concatenated frames
    /// carry the whole segment anyway).</summary>
    public static byte[] Encode(short[] samples, int engineRate, AudioSpec spec)
    {
        if (spec.Format == AudioFormat.Wav)
        {
            var pcm = engineRate == spec.SampleRate ? samples : Resampler.Convert(samples, engineRate, spec.SampleRate);
            return WavFile.Encode(pcm, spec.SampleRate);
        }
        using var encoder = new SegmentStreamEncoder(engineRate, spec);
        return [.. encoder.Push(samples), .. encoder.Finish()];
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

/// <summary>Resamples and encodes one segment block by block, so the first audio frame can leave
/// before the whole segment is encoded. For mp3 and linear16 (not wav, whose header needs the length).</summary>
public sealed class SegmentStreamEncoder : IDisposable
{
    private readonly Resampler? _resampler;
    private readonly Mp3Encoder? _mp3;
    private bool _tagPending;

    public SegmentStreamEncoder(int engineRate, AudioSpec spec)
    {
        if (spec.Format == AudioFormat.Wav) throw new ArgumentException("WAV segments are encoded whole.", nameof(spec));
        _resampler = engineRate == spec.SampleRate ? null : new Resampler(engineRate, spec.SampleRate);
        if (spec.Format == AudioFormat.Mp3)
        {
            _mp3 = new Mp3Encoder(spec.SampleRate, spec.Mp3BitrateKbps);
            _tagPending = spec.Id3Tag;
        }
    }

    public byte[] Push(ReadOnlySpan<short> engineSamples)
    {
        var pcm = _resampler is null ? engineSamples.ToArray() : _resampler.Process(engineSamples);
        return Encode(pcm, last: false);
    }

    public byte[] Finish() => Encode(_resampler?.Flush() ?? [], last: true);

    private byte[] Encode(short[] pcm, bool last)
    {
        if (_mp3 is null) return Pcm16.ToBytes(pcm);
        var bytes = _mp3.Encode(pcm);
        if (last) bytes = [.. bytes, .. _mp3.Flush()];
        if (_tagPending && bytes.Length > 0)
        {
            _tagPending = false;
            bytes = [.. Id3Tag.Bytes, .. bytes];
        }
        return bytes;
    }

    public void Dispose() => _mp3?.Dispose();
}

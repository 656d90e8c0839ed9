using NLayer;
using VoiceAgent.Dsp;
using Mp3Frame = NAudio.Wave.Mp3Frame;

namespace VoiceAgent.Speech.Decoding;

/// <summary>
/// Decodes MP3 as it arrives, in managed code (frames found by NAudio, decoded by NLayer), to
/// mono s16. The input is one MP3 file after another — TTS services send one per sentence, each
/// possibly starting with an ID3v2 tag — and every file is decoded gaplessly: its Info frame's
/// encoder delay and padding are dropped, so a file gives back exactly the samples that were
/// encoded and sentences follow each other without added silence.
/// <para>
/// Each complete frame is decoded as soon as it is in; nothing waits for the end of a file. A
/// file starts at the start of the stream, after <see cref="EndFile"/>, at an ID3v2 tag or at an
/// Info frame. Bytes that are not MP3 are skipped: after such bytes a frame counts only once
/// the next frame's header confirms it, so noise does not decode into clicks.
/// </para>
/// </summary>
public sealed class Mp3StreamDecoder
{
    /// <summary>Samples every decoder of this design (NLayer, mpg123, LAME's own) outputs before
    /// the first encoded sample, on top of the encoder delay the Info frame states.</summary>
    public const int DecoderDelay = 529;

    private byte[] _pending = new byte[16 * 1024];
    private int _start;
    private int _end;
    private MpegFile _file = new();

    /// <summary>Rate of the decoded audio; null until the first frame.</summary>
    public int? SampleRate { get; private set; }

    /// <summary>Decodes a whole sequence of MP3 files at once.</summary>
    public static (short[] Samples, int SampleRate) DecodeAll(ReadOnlySpan<byte> mp3)
    {
        var decoder = new Mp3StreamDecoder();
        short[] samples = [.. decoder.Decode(mp3), .. decoder.EndFile()];
        return (samples, decoder.SampleRate ?? 0);
    }

    /// <summary>Takes the next bytes; returns every sample they complete.</summary>
    public short[] Decode(ReadOnlySpan<byte> bytes)
    {
        Append(bytes);
        var output = new List<short>();
        while (NextFrame(output))
        {
        }
        return output.ToArray();
    }

    /// <summary>The current file is complete (what is left of it is an incomplete frame and is
    /// dropped); the next bytes start a new one. Returns the samples still due (none: every
    /// frame is decoded when it arrives).</summary>
    public short[] EndFile()
    {
        _start = _end = 0;
        _file = new MpegFile();
        return [];
    }

    private ReadOnlySpan<byte> Pending => _pending.AsSpan(_start, _end - _start);

    /// <summary>Handles the next tag or frame; false when more bytes are needed.</summary>
    private bool NextFrame(List<short> output)
    {
        var pending = Pending;
        if (pending.StartsWith("ID3"u8))
        {
            if (pending.Length < 10) return false;
            var tag = 10 + ((pending[6] & 0x7F) << 21 | (pending[7] & 0x7F) << 14 | (pending[8] & 0x7F) << 7 | (pending[9] & 0x7F))
                      + ((pending[5] & 0x10) != 0 ? 10 : 0);
            if (pending.Length < tag) return false;
            // A tag where a frame was due starts the next file.
            if (_file.Started) _file = new MpegFile();
            _start += tag;
            return true;
        }

        using var stream = new MemoryStream(_pending, _start, _end - _start, writable: false);
        var header = Mp3Frame.LoadFromStream(stream, readData: false);
        if (header is null)
        {
            _start = Math.Max(_start, _end - 3); // a header may straddle the next bytes
            return false;
        }
        var skipped = (int)header.FileOffset;
        if (skipped > 0) _file.Synced = false;
        if (skipped + header.FrameLength > pending.Length)
        {
            _start += skipped;
            return false;
        }
        if (!_file.Synced)
        {
            // Not where a frame was due: believe it once the next frame's header follows it.
            var next = skipped + header.FrameLength;
            if (pending.Length < next + 4) { _start += skipped; return false; }
            stream.Position = next;
            var confirmation = Mp3Frame.LoadFromStream(stream, readData: false);
            if (confirmation is null || confirmation.FileOffset != next || confirmation.SampleRate != header.SampleRate || confirmation.MpegLayer != header.MpegLayer)
            {
                _start += skipped + 1;
                return true;
            }
        }
        stream.Position = skipped;
        var frame = Mp3Frame.LoadFromStream(stream)!;
        _start += skipped + frame.FrameLength;
        _file.Synced = true;

        if (Mp3InfoTag.TryRead(frame) is { } info)
        {
            // An Info frame opens a file; after audio it is the next file, sent without a tag.
            if (_file.Started) _file = new MpegFile { Synced = true };
            _file.Begin(info, frame.SampleCount);
            return true;
        }
        SampleRate = frame.SampleRate;
        _file.Decode(frame, output);
        return true;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_end + bytes.Length > _pending.Length)
        {
            var length = _end - _start;
            var target = length + bytes.Length > _pending.Length ? new byte[Math.Max(_pending.Length * 2, length + bytes.Length)] : _pending;
            Array.Copy(_pending, _start, target, 0, length);
            _pending = target;
            _start = 0;
            _end = length;
        }
        bytes.CopyTo(_pending.AsSpan(_end));
        _end += bytes.Length;
    }

    /// <summary>One MP3 file: its decoder (the bit reservoir belongs to the file) and what its
    /// Info frame says to drop.</summary>
    private sealed class MpegFile
    {
        private readonly MpegFrameDecoder _decoder = new() { StereoMode = StereoMode.DownmixToMono };
        private float[] _frame = new float[1152];
        private long _skip;
        private long? _remaining;

        /// <summary>The next frame starts where the last one ended.</summary>
        public bool Synced { get; set; } = true;

        /// <summary>An Info frame or an audio frame of this file has been read.</summary>
        public bool Started { get; private set; }

        public void Begin(Mp3InfoTag info, int samplesPerFrame)
        {
            Started = true;
            if (info.EncoderDelay is not { } delay) return;
            _skip = delay + DecoderDelay;
            if (info.AudioFrames is { } frames && info.Padding is { } padding)
                _remaining = Math.Max(0, (long)frames * samplesPerFrame - delay - padding);
        }

        public void Decode(Mp3Frame frame, List<short> output)
        {
            Started = true;
            if (_frame.Length < 2 * frame.SampleCount) _frame = new float[2 * frame.SampleCount];
            int count;
            try
            {
                count = _decoder.DecodeFrame(new NLayerFrame(frame), _frame, 0);
            }
            catch (Exception e) when (e is IndexOutOfRangeException or ArgumentException or InvalidOperationException)
            {
                return; // a damaged frame is lost, not the stream
            }
            var from = (int)Math.Min(count, _skip);
            _skip -= from;
            var to = _remaining is { } remaining ? (int)Math.Min(count, from + remaining) : count;
            for (var i = from; i < to; i++) output.Add(Pcm16.FromFloat(_frame[i]));
            if (_remaining.HasValue) _remaining -= to - from;
        }
    }
}

using VoiceAgent.TtsServer.Native;

namespace VoiceAgent.TtsServer.Audio;

/// <summary>Encodes one segment into a complete, standalone MP3 file (CBR, mono) with LAME. The
/// file starts with LAME's Info frame, which states the encoder delay and padding, so a gapless
/// decoder gives back exactly the samples encoded (sentences join without added silence). That
/// frame is final only once the whole segment is encoded: <see cref="Encode"/> returns frames as
/// they are ready with a placeholder first, and <see cref="InfoFrame"/> gives what replaces it.</summary>
public sealed unsafe class Mp3Encoder : IDisposable
{
    private const string Missing = "MP3 encoder not found (libmp3lame.so.0): install the Debian package libmp3lame0, or ask for audio_format=linear16 or wav.";

    private static readonly Lazy<string?> Probe = new(() =>
    {
        try
        {
            var lame = LameNative.Init();
            if (lame == IntPtr.Zero) return "lame_init failed: ask for audio_format=linear16 or wav.";
            LameNative.Close(lame);
            return null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return Missing;
        }
    });

    /// <summary>Why MP3 cannot be produced on this machine, or null when it can.</summary>
    public static string? Unavailable => Probe.Value;

    private IntPtr _lame;

    /// <param name="bitrateKbps">Raised where needed to the lowest bitrate whose frames can hold
    /// the Info frame (LAME leaves it out when they cannot: at 24 kHz 48 kbps is too little).</param>
    public Mp3Encoder(int sampleRate, int bitrateKbps)
    {
        BitrateKbps = Math.Max(bitrateKbps, InfoFrameBitrate(sampleRate));
        try
        {
            _lame = LameNative.Init();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            throw new InvalidOperationException(Missing, e);
        }
        if (_lame == IntPtr.Zero) throw new InvalidOperationException("lame_init failed.");
        LameNative.SetInSampleRate(_lame, sampleRate);
        LameNative.SetOutSampleRate(_lame, sampleRate);
        LameNative.SetNumChannels(_lame, 1);
        LameNative.SetMode(_lame, LameNative.ModeMono);
        LameNative.SetBitrate(_lame, BitrateKbps);
        LameNative.SetQuality(_lame, 7); // "fast": plenty for speech at low bitrates, and encoding is on the latency path
        LameNative.SetWriteVbrTag(_lame, 1);
        if (LameNative.InitParams(_lame) < 0)
        {
            Dispose();
            throw new InvalidOperationException($"LAME rejected {sampleRate} Hz at {BitrateKbps} kbps.");
        }
    }

    /// <summary>The bitrate used: the one asked for, or the lowest that holds the Info frame.</summary>
    public int BitrateKbps { get; }

    /// <summary>
    /// The lowest mono CBR bitrate whose frames hold LAME's Info frame: the 4-byte header, the side
    /// information (17 bytes for MPEG-1 mono, 9 for MPEG-2/2.5) and 156 bytes of Xing and LAME
    /// fields, in a frame of 144 (MPEG-1) or 72 (MPEG-2/2.5) x bitrate / sample rate bytes.
    /// </summary>
    public static int InfoFrameBitrate(int sampleRate)
    {
        var mpeg1 = sampleRate >= 32_000;
        var needed = 4 + (mpeg1 ? 17 : 9) + 156;
        int[] bitrates = mpeg1 ? [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320] : [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
        return bitrates.First(kbps => (mpeg1 ? 144 : 72) * kbps * 1000 / sampleRate >= needed);
    }

    /// <summary>The whole signal as one MP3 file, its Info frame in place.</summary>
    public static byte[] Encode(ReadOnlySpan<short> samples, int sampleRate, int bitrateKbps)
    {
        using var encoder = new Mp3Encoder(sampleRate, bitrateKbps);
        byte[] file = [.. encoder.Encode(samples), .. encoder.Flush()];
        var info = encoder.InfoFrame();
        info.CopyTo(file, 0); // over the placeholder of the same size at the start
        return file;
    }

    public byte[] Encode(ReadOnlySpan<short> samples)
    {
        ObjectDisposedException.ThrowIf(_lame == IntPtr.Zero, this);
        if (samples.IsEmpty) return [];
        var output = new byte[samples.Length * 5 / 4 + 7200]; // worst case from lame.h
        int written;
        fixed (short* pcm = samples)
        fixed (byte* mp3 = output)
            written = LameNative.EncodeBuffer(_lame, pcm, pcm, samples.Length, mp3, output.Length);
        if (written < 0) throw new InvalidOperationException($"lame_encode_buffer failed ({written}).");
        return output[..written];
    }

    /// <summary>The last frames; the stream is complete after this.</summary>
    public byte[] Flush()
    {
        ObjectDisposedException.ThrowIf(_lame == IntPtr.Zero, this);
        var output = new byte[7200];
        int written;
        fixed (byte* mp3 = output) written = LameNative.EncodeFlush(_lame, mp3, output.Length);
        if (written < 0) throw new InvalidOperationException($"lame_encode_flush failed ({written}).");
        return output[..written];
    }

    /// <summary>The finished Info frame (after <see cref="Flush"/>): it replaces the first frame
    /// <see cref="Encode"/> returned.</summary>
    public byte[] InfoFrame()
    {
        ObjectDisposedException.ThrowIf(_lame == IntPtr.Zero, this);
        var frame = new byte[2880]; // the largest MP3 frame
        nuint size;
        fixed (byte* buffer = frame) size = LameNative.GetLameTagFrame(_lame, buffer, (nuint)frame.Length);
        if (size == 0) throw new InvalidOperationException("LAME wrote no Info frame.");
        return frame[..(int)size];
    }

    public void Dispose()
    {
        if (_lame == IntPtr.Zero) return;
        LameNative.Close(_lame);
        _lame = IntPtr.Zero;
    }
}

using VoiceAgent.TtsServer.Native;

namespace VoiceAgent.TtsServer.Audio;

/// <summary>Encodes one segment into a complete, standalone MP3 stream (CBR, mono) with LAME,
/// incrementally: each <see cref="Encode"/> returns the frames ready so far. No Xing/Info frame
/// is written, so the bytes are final as soon as they come out.</summary>
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

    public Mp3Encoder(int sampleRate, int bitrateKbps)
    {
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
        LameNative.SetBitrate(_lame, bitrateKbps);
        LameNative.SetQuality(_lame, 7); // "fast": plenty for speech at low bitrates, and encoding is on the latency path
        LameNative.SetWriteVbrTag(_lame, 0);
        if (LameNative.InitParams(_lame) < 0)
        {
            Dispose();
            throw new InvalidOperationException($"LAME rejected {sampleRate} Hz at {bitrateKbps} kbps.");
        }
    }

    /// <summary>The whole signal as one MP3 file.</summary>
    public static byte[] Encode(ReadOnlySpan<short> samples, int sampleRate, int bitrateKbps)
    {
        using var encoder = new Mp3Encoder(sampleRate, bitrateKbps);
        return [.. encoder.Encode(samples), .. encoder.Flush()];
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

    public void Dispose()
    {
        if (_lame == IntPtr.Zero) return;
        LameNative.Close(_lame);
        _lame = IntPtr.Zero;
    }
}

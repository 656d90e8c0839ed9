using System.Runtime.InteropServices;

namespace VoiceAgent.Speech.Decoding;

/// <summary>
/// MP3 as TTS services send it: one complete MP3 file per segment, each possibly starting with
/// an ID3v2 tag. Feeding the concatenation to one decoder breaks at the second tag, so every
/// segment gets its own mpg123 handle: a frame that starts with "ID3" begins a new segment, and
/// so does the first audio after <see cref="EndSegment"/>. Output is mono s16 (stereo is mixed).
/// </summary>
internal sealed unsafe class Mp3SegmentDecoder : IAudioSegmentDecoder
{
    private nint _handle;
    private byte[] _output = new byte[32 * 1024];

    public Mp3SegmentDecoder() => Mpg123.EnsureAvailable();

    public int? SampleRate { get; private set; }

    public short[] Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty) return [];
        var head = Array.Empty<short>();
        if (_handle != 0 && bytes.StartsWith("ID3"u8)) head = EndSegment();
        if (_handle == 0) Open();

        fixed (byte* input = bytes)
        {
            var fed = Mpg123.Feed(_handle, input, (nuint)bytes.Length);
            if (fed != Mpg123.Ok) throw new SpeechSynthesisException($"MP3 audio from the TTS server could not be decoded: {Mpg123.Describe(fed)}");
        }
        var body = Drain();
        return head.Length == 0 ? body : [.. head, .. body];
    }

    public short[] EndSegment()
    {
        if (_handle == 0) return [];
        var rest = Drain();
        Close();
        return rest;
    }

    private void Open()
    {
        _handle = Mpg123.New(0, out var error);
        if (_handle == 0) throw new SpeechSynthesisException($"libmpg123 could not create a decoder: {Mpg123.Describe(error)}");
        Mpg123.Param(_handle, Mpg123.ParamAddFlags, new CLong(Mpg123.FlagQuiet | Mpg123.FlagMonoMix), 0);
        Mpg123.FormatNone(_handle);
        foreach (var rate in Mpg123.Rates)
            Mpg123.Format(_handle, new CLong(rate), Mpg123.ChannelsMono, Mpg123.EncodingSigned16);
        var opened = Mpg123.OpenFeed(_handle);
        if (opened != Mpg123.Ok) throw new SpeechSynthesisException($"libmpg123 could not open a feed: {Mpg123.Describe(opened)}");
    }

    /// <summary>Reads every sample the fed bytes produce.</summary>
    private short[] Drain()
    {
        var samples = new List<short>();
        while (true)
        {
            int result;
            nuint done;
            fixed (byte* output = _output)
                result = Mpg123.Read(_handle, output, (nuint)_output.Length, out done);

            if (done > 0)
            {
                var count = (int)done / 2;
                for (var i = 0; i < count; i++) samples.Add((short)(_output[2 * i] | (_output[2 * i + 1] << 8)));
            }
            if (result == Mpg123.NewFormat)
            {
                Mpg123.GetFormat(_handle, out var rate, out _, out _);
                SampleRate = (int)rate.Value;
                continue;
            }
            if (result == Mpg123.Ok) continue;
            if (result is Mpg123.NeedMore or Mpg123.Done) break;
            throw new SpeechSynthesisException($"MP3 audio from the TTS server could not be decoded: {Mpg123.Describe(result)}");
        }
        return samples.ToArray();
    }

    private void Close()
    {
        if (_handle == 0) return;
        Mpg123.Delete(_handle);
        _handle = 0;
    }

    public void Dispose() => Close();
}

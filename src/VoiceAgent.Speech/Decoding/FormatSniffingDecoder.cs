namespace VoiceAgent.Speech.Decoding;

/// <summary>
/// Some voices ignore <c>audio_format</c> (Kokoro answers MP3 whatever is asked). Raw PCM has no
/// header, so when linear16 was requested, each segment's first bytes are checked for an ID3 tag
/// or a RIFF header; on one, decoding switches to MP3 or WAV for the rest of the stream.
/// </summary>
internal sealed class FormatSniffingDecoder(IAudioSegmentDecoder requested) : IAudioSegmentDecoder
{
    private IAudioSegmentDecoder _current = requested;
    private bool _atSegmentStart = true;
    private bool _switched;

    public int? SampleRate => _current.SampleRate;

    /// <summary>What the stream turned out to be, when it is not what was requested.</summary>
    public string? DetectedFormat { get; private set; }

    public short[] Decode(ReadOnlySpan<byte> bytes)
    {
        if (_atSegmentStart && !_switched && bytes.Length >= 4)
        {
            if (bytes.StartsWith("ID3"u8)) Switch(new Mp3SegmentDecoder(), "mp3");
            else if (bytes.StartsWith("RIFF"u8)) Switch(new WavSegmentDecoder(), "wav");
        }
        if (!bytes.IsEmpty) _atSegmentStart = false;
        return _current.Decode(bytes);
    }

    public short[] EndSegment()
    {
        _atSegmentStart = true;
        return _current.EndSegment();
    }

    private void Switch(IAudioSegmentDecoder decoder, string format)
    {
        _current.Dispose();
        _current = decoder;
        _switched = true;
        DetectedFormat = format;
    }

    public void Dispose() => _current.Dispose();
}

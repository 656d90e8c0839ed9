namespace VoiceAgent.Speech.Decoding;

/// <summary>
/// MP3 as TTS services send it: one complete MP3 file per segment, each possibly starting with
/// an ID3v2 tag, decoded as the frames arrive and gaplessly (<see cref="Mp3StreamDecoder"/>, in
/// managed code: nothing to install). A tag or an Info frame starts a new file, and so does the
/// first audio after <see cref="EndSegment"/>. Output is mono s16 (stereo is mixed).
/// </summary>
internal sealed class Mp3SegmentDecoder : IAudioSegmentDecoder
{
    private readonly Mp3StreamDecoder _decoder = new();

    public int? SampleRate => _decoder.SampleRate;

    public short[] Decode(ReadOnlySpan<byte> bytes) => _decoder.Decode(bytes);

    public short[] EndSegment() => _decoder.EndFile();

    public void Dispose() { }
}

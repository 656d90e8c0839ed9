namespace VoiceAgent.Speech.Decoding;

/// <summary>
/// Turns the audio bytes of a TTS stream into PCM. The stream is a sequence of segments (one per
/// sentence, flush or end); some formats (MP3, WAV) start every segment with its own headers.
/// </summary>
internal interface IAudioSegmentDecoder : IDisposable
{
    /// <summary>Rate of the decoded PCM; null until the format is known (MP3 before its first frame).</summary>
    int? SampleRate { get; }

    /// <summary>Decodes one frame's bytes; returns what can be decoded so far (mono s16).</summary>
    short[] Decode(ReadOnlySpan<byte> bytes);

    /// <summary>The current segment is complete: return what is left of it and expect a new one.</summary>
    short[] EndSegment();
}

/// <summary>Picks the decoder for a requested <c>audio_format</c>.</summary>
internal static class AudioDecoders
{
    public static IAudioSegmentDecoder For(string audioFormat, int requestedRate) => audioFormat switch
    {
        "linear16" or "pcm" => new FormatSniffingDecoder(new Linear16Decoder(requestedRate)),
        "mp3" => new Mp3SegmentDecoder(),
        "wav" => new WavSegmentDecoder(),
        _ => throw new SpeechSynthesisException($"audio format {audioFormat} cannot be decoded: use linear16, mp3 or wav"),
    };
}

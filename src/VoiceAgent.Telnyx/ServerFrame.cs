namespace VoiceAgent.Telnyx;

/// <summary>
/// One server message. No frame has a type discriminator: route on what is set,
/// <see cref="Error"/> first, then <see cref="IsFinal"/>, else audio and/or segment text.
/// <see cref="Cached"/> and <see cref="TimeToFirstAudioMs"/> are written only when set.
/// </summary>
public sealed record ServerFrame(
    byte[]? Audio,
    string? Text,
    bool IsFinal,
    bool? Cached = null,
    long? TimeToFirstAudioMs = null,
    string? Error = null)
{
    /// <summary>The end of a sequence: after it the server closes with 1000.</summary>
    public static readonly ServerFrame Final = new(null, "", true);

    /// <summary>Audio, optionally with the segment's text (concatenated frames) and, on a
    /// segment's first frame, the time to first audio.</summary>
    public static ServerFrame AudioChunk(byte[] audio, string? text, bool cached, long? timeToFirstAudioMs = null) =>
        new(audio, text, false, cached, timeToFirstAudioMs);

    /// <summary>The text-bearing frame that follows a segment's streamed audio.</summary>
    public static ServerFrame SegmentText(string text, bool cached) => new(null, text, false, cached);

    /// <summary>An error frame: it carries nothing else.</summary>
    public static ServerFrame Failure(string message) => new(null, null, false, Error: message);

    /// <summary>The frame as the server sends it, with exactly the fields the live service uses.</summary>
    public byte[] ToJson() => TelnyxJson.Write(w =>
    {
        if (Error is not null)
        {
            w.WriteString("error", Error);
            return;
        }
        if (Audio is null) w.WriteNull("audio"); else w.WriteBase64String("audio", Audio);
        if (Text is null) w.WriteNull("text"); else w.WriteString("text", Text);
        w.WriteBoolean("isFinal", IsFinal);
        if (Cached is { } cached) w.WriteBoolean("cached", cached);
        if (TimeToFirstAudioMs is { } ms) w.WriteNumber("timeToFirstAudioFrameMs", ms);
    }, TelnyxJson.ServerOptions);

    /// <summary>Parses one text frame leniently (a client's rules): fields may be null or absent,
    /// unknown fields are ignored. Null when it is not a JSON object.</summary>
    public static ServerFrame? Parse(ReadOnlySpan<byte> json) => ServerFrameReader.Parse(json);
}

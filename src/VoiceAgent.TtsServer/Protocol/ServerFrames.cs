using System.Buffers;
using System.Text.Json;

namespace VoiceAgent.TtsServer.Protocol;

/// <summary>The JSON the server sends, with exactly the fields the live service uses (no "type").</summary>
public static class ServerFrames
{
    private static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Audio, optionally with the segment's text (concatenated frames) and, on a
    /// segment's first frame, the time to first audio.</summary>
    public static byte[] Audio(byte[] audio, string? text, bool cached, long? timeToFirstAudioMs) =>
        Write(w =>
        {
            w.WriteBase64String("audio", audio);
            if (text is null) w.WriteNull("text"); else w.WriteString("text", text);
            w.WriteBoolean("isFinal", false);
            w.WriteBoolean("cached", cached);
            if (timeToFirstAudioMs is { } ms) w.WriteNumber("timeToFirstAudioFrameMs", ms);
        });

    /// <summary>The text-bearing chunk that follows a segment's streamed audio.</summary>
    public static byte[] SegmentText(string text, bool cached) =>
        Write(w =>
        {
            w.WriteNull("audio");
            w.WriteString("text", text);
            w.WriteBoolean("isFinal", false);
            w.WriteBoolean("cached", cached);
        });

    public static readonly byte[] Final = Write(w =>
    {
        w.WriteNull("audio");
        w.WriteString("text", "");
        w.WriteBoolean("isFinal", true);
    });

    public static byte[] Error(string message) => Write(w => w.WriteString("error", message));

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}

using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace VoiceAgent.Telnyx;

/// <summary>Writes one frame as a JSON object.</summary>
internal static class TelnyxJson
{
    /// <summary>The client keeps the writer's default escaping (non-ASCII text as \u escapes);
    /// a JSON reader takes either form.</summary>
    public static readonly JsonWriterOptions ClientOptions = new();

    /// <summary>The server sends text unescaped, as the live service does.</summary>
    public static readonly JsonWriterOptions ServerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Write(Action<Utf8JsonWriter> body, JsonWriterOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}

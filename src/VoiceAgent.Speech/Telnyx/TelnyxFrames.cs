using System.Buffers;
using System.Text;
using System.Text.Json;

namespace VoiceAgent.Speech.Telnyx;

/// <summary>
/// A frame from the server, read leniently: no frame has a type discriminator, fields may be
/// null or absent, unknown fields are ignored. Route on what is set: <see cref="Error"/>, then
/// <see cref="IsFinal"/>, else audio and/or segment text.
/// </summary>
internal sealed record ServerFrame(
    byte[]? Audio,
    string? Text,
    bool IsFinal,
    int? TimeToFirstAudioMs,
    string? Error)
{
    /// <summary>Parses one text frame; null when it is not a JSON object (ignored by the client).</summary>
    public static ServerFrame? Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;

            byte[]? audio = null;
            string? text = null, error = null;
            bool isFinal = false;
            int? ttfa = null;
            foreach (var property in root.EnumerateObject())
            {
                var value = property.Value;
                switch (property.Name)
                {
                    case "audio" when value.ValueKind == JsonValueKind.String:
                        var encoded = value.GetString();
                        if (!string.IsNullOrEmpty(encoded)) audio = Convert.FromBase64String(encoded);
                        break;
                    case "text" when value.ValueKind == JsonValueKind.String:
                        text = value.GetString();
                        break;
                    case "isFinal" or "is_final":
                        isFinal = value.ValueKind == JsonValueKind.True;
                        break;
                    case "timeToFirstAudioFrameMs" when value.ValueKind == JsonValueKind.Number:
                        ttfa = value.TryGetInt32(out var ms) ? ms : (int)value.GetDouble();
                        break;
                    case "error" when value.ValueKind != JsonValueKind.Null:
                        error = value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
                        break;
                }
            }
            return new ServerFrame(audio, text, isFinal, ttfa, error);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return null;
        }
    }
}

/// <summary>Client frames, serialized without nulls (the force frame has no <c>text</c>).</summary>
internal static class ClientFrames
{
    public static byte[] Handshake(double voiceSpeed) => Write(w =>
    {
        w.WriteString("text", " ");
        if (Math.Abs(voiceSpeed - 1.0) > 1e-9)
        {
            w.WriteStartObject("voice_settings");
            w.WriteNumber("voice_speed", voiceSpeed);
            w.WriteEndObject();
        }
    });

    public static byte[] Text(string text) => Write(w => w.WriteString("text", text));

    /// <summary>Synthesize what is buffered now; the space is a no-op to the sentence buffer.</summary>
    public static byte[] Flush() => Write(w =>
    {
        w.WriteString("text", " ");
        w.WriteBoolean("flush", true);
    });

    public static byte[] EndOfSequence() => Write(w => w.WriteString("text", ""));

    public static byte[] Force() => Write(w => w.WriteBoolean("force", true));

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static string Describe(byte[] frame) => Encoding.UTF8.GetString(frame);
}

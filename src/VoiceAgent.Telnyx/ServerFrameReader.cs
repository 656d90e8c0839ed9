using System.Text.Json;

namespace VoiceAgent.Telnyx;

/// <summary>A client's lenient reading of a server frame: voices and providers differ in the
/// fields they set, so only a frame that is not a JSON object is refused.</summary>
internal static class ServerFrameReader
{
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
            bool? cached = null;
            long? ttfa = null;
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
                    case "cached" when value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                        cached = value.ValueKind == JsonValueKind.True;
                        break;
                    case "timeToFirstAudioFrameMs" when value.ValueKind == JsonValueKind.Number:
                        ttfa = value.TryGetInt32(out var ms) ? ms : (int)value.GetDouble();
                        break;
                    case "error" when value.ValueKind != JsonValueKind.Null:
                        error = value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
                        break;
                }
            }
            return new ServerFrame(audio, text, isFinal, cached, ttfa, error);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return null;
        }
    }
}

using System.Text.Json;

namespace VoiceAgent.Telnyx;

/// <summary>The server's validation of a client frame, with the error texts clients are sent.</summary>
internal static class ClientFrameReader
{
    public static ClientFrame? Parse(ReadOnlySpan<byte> json, out string problem)
    {
        problem = "";
        try
        {
            using var document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) { problem = "expected a JSON object"; return null; }

            string? text = null;
            bool flush = false, force = false;
            double? speed = null;
            foreach (var property in root.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "text":
                        if (property.Value.ValueKind == JsonValueKind.Null) break;
                        if (property.Value.ValueKind != JsonValueKind.String) { problem = "\"text\" must be a string"; return null; }
                        text = ReadString(property.Value);
                        break;
                    case "flush":
                        if (!TryBool(property.Value, out flush)) { problem = "\"flush\" must be true or false"; return null; }
                        break;
                    case "force":
                        if (!TryBool(property.Value, out force)) { problem = "\"force\" must be true or false"; return null; }
                        break;
                    case "voice_settings":
                        if (property.Value.ValueKind == JsonValueKind.Null) break;
                        if (property.Value.ValueKind != JsonValueKind.Object) { problem = "\"voice_settings\" must be an object"; return null; }
                        if (property.Value.TryGetProperty("voice_speed", out var s) && s.ValueKind != JsonValueKind.Null)
                        {
                            if (s.ValueKind != JsonValueKind.Number || !s.TryGetDouble(out var value) || !double.IsFinite(value) || value <= 0)
                            {
                                problem = "\"voice_settings.voice_speed\" must be a positive number";
                                return null;
                            }
                            speed = value;
                        }
                        break;
                }
            }
            return new ClientFrame(text, flush, force, speed);
        }
        catch (JsonException)
        {
            problem = "not valid JSON";
            return null;
        }
    }

    /// <summary>The string's value. A lone surrogate escape ("\ud83d", half of an emoji split
    /// across frames) is valid JSON that <see cref="JsonElement.GetString"/> refuses; it is
    /// decoded by hand here so the server can join it with its other half.</summary>
    private static string ReadString(JsonElement value)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return JsonStringLiteral.Decode(value.GetRawText());
        }
    }

    private static bool TryBool(JsonElement value, out bool result)
    {
        result = value.ValueKind == JsonValueKind.True;
        return value.ValueKind is JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null;
    }
}

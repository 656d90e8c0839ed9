using System.Text;
using System.Text.Json;

namespace VoiceAgent.Telnyx;

/// <summary>
/// One client message. No frame has a type discriminator: what a frame means follows from which
/// fields it carries. <see cref="Text"/> is null when the frame has no "text" (a force frame),
/// which differs from "" (end of input). The named factories are the frames a client sends.
/// </summary>
public sealed record ClientFrame(string? Text, bool Flush, bool Force, double? VoiceSpeed)
{
    /// <summary>The first frame: a single space, with voice settings only when they differ from
    /// the default (the live service treats an absent setting as the default).</summary>
    public static ClientFrame Handshake(double voiceSpeed) =>
        new(" ", false, false, Math.Abs(voiceSpeed - 1.0) > 1e-9 ? voiceSpeed : null);

    public static ClientFrame Speak(string text) => new(text, false, false, null);

    /// <summary>Synthesize what is buffered now; the space is a no-op to the sentence buffer.</summary>
    public static ClientFrame FlushNow() => new(" ", true, false, null);

    /// <summary>End of input: speak the rest, send the final frame, close.</summary>
    public static ClientFrame EndOfSequence() => new("", false, false, null);

    /// <summary>Drop everything buffered and queued; the frame has no "text".</summary>
    public static ClientFrame ForceStop() => new(null, false, true, null);

    /// <summary>The frame as sent, without the fields it does not carry.</summary>
    public byte[] ToJson() => TelnyxJson.Write(w =>
    {
        if (Text is not null) w.WriteString("text", Text);
        if (VoiceSpeed is { } speed)
        {
            w.WriteStartObject("voice_settings");
            w.WriteNumber("voice_speed", speed);
            w.WriteEndObject();
        }
        if (Flush) w.WriteBoolean("flush", true);
        if (Force) w.WriteBoolean("force", true);
    }, TelnyxJson.ClientOptions);

    /// <summary>The JSON text of an encoded frame, for logs and tests.</summary>
    public static string Describe(byte[] frame) => Encoding.UTF8.GetString(frame);

    /// <summary>Parses a text frame strictly (the server's rules); null when it is not a JSON
    /// object with correctly typed fields (text: string, flush/force: boolean, voice_settings:
    /// object), with <paramref name="problem"/> saying why. Unknown fields are ignored.</summary>
    public static ClientFrame? Parse(ReadOnlySpan<byte> json, out string problem) =>
        ClientFrameReader.Parse(json, out problem);
}

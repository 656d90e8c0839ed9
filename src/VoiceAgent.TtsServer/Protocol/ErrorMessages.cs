namespace VoiceAgent.TtsServer.Protocol;

/// <summary>Error frame texts. The first three are the live service's own strings.</summary>
public static class ErrorMessages
{
    public const string InvalidMessage = "Invalid message";
    public const string AudioFailed = "Error in audio response";
    public const string RemainingAudioFailed = "Error in remaining audio response";
    public const string BinaryFrame = "Invalid message: frames must be JSON text, not binary";
    public static string FrameTooLarge(int limit) => $"Message too large: frames are limited to {limit} bytes; send the text in smaller pieces";
    public static string BufferFull(int limit) => $"Text buffer full: at most {limit} characters may wait for a sentence end; add punctuation or send flush";
}

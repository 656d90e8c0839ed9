namespace VoiceAgent.Core.Protocol;

public enum NoticeLevel
{
    Info,
    Warning,
    Error,
}

/// <summary>A one-line status for the user ("offline responder", "TTS reconnecting…"). Never a stack trace.</summary>
public sealed record StatusNotice(string Source, string Text, NoticeLevel Level = NoticeLevel.Info) : IPipelineEvent;

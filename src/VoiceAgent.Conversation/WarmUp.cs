namespace VoiceAgent.Conversation;

/// <summary>What a warm-up found: a problem to show as an error, and/or a note for the user.</summary>
public sealed record WarmUpResult(string? Problem, string? Note = null);

/// <summary>Readies a chat backend at start, off the first turn.</summary>
public interface IChatWarmUp
{
    Task<WarmUpResult> WarmUpAsync(CancellationToken cancellationToken);
}

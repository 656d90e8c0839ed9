using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Conversation;

/// <summary>
/// Times one turn from when the user stopped speaking (or typed the line) to its first text and
/// first audio, and reports it once: when the first audio plays, or when the turn ends without.
/// </summary>
internal sealed class TurnLatencyMeter(TurnId turn, DateTimeOffset startedBy, DateTimeOffset? transcriptAt, bool modelReply)
{
    private DateTimeOffset? _requestedAt;
    private DateTimeOffset? _firstTextAt;
    private DateTimeOffset? _firstAudioAt;
    private bool _reported;

    public void ReplyRequested(DateTimeOffset at) => _requestedAt = at;

    public void TextArrived(DateTimeOffset at) => _firstTextAt ??= at;

    /// <summary>The report, the first time audio of the turn plays; null after that.</summary>
    public TurnLatency? AudioStarted(DateTimeOffset at)
    {
        if (_firstAudioAt is not null) return null;
        _firstAudioAt = at;
        return Report();
    }

    /// <summary>The report when the turn ends, unless it was already given.</summary>
    public TurnLatency? TurnEnded() => _reported ? null : Report();

    private TurnLatency Report()
    {
        _reported = true;
        return new TurnLatency(turn, _firstTextAt - startedBy, _firstAudioAt - startedBy)
        {
            Transcript = transcriptAt - startedBy,
            ModelFirstToken = modelReply ? _firstTextAt - _requestedAt : null,
            TextToAudio = _firstAudioAt - _firstTextAt,
        };
    }
}

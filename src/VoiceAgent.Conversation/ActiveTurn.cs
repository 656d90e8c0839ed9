using System.Text;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Conversation;

/// <summary>Input that waits for the current turn to end: a transcript or a <see cref="Say"/>.</summary>
internal sealed record PendingInput(object Input, DateTimeOffset ReceivedAt);

/// <summary>What the <see cref="TurnCoordinator"/> knows of the running turn.</summary>
internal sealed class ActiveTurn(TurnId id, TurnLatencyMeter latency)
{
    public TurnId Id { get; } = id;
    public TurnLatencyMeter Latency { get; } = latency;
    public bool Said { get; init; }
    public StringBuilder Text { get; } = new();
    public string Heard { get; set; } = "";
    public bool TextDone { get; set; }
    public bool Interrupted { get; set; }
    public bool TypedOver { get; set; }
    public string? Error { get; set; }
    public ToolCallLedger Tools { get; } = new();
    /// <summary>Interrupted: what was heard, once known (the turn may still wait for a tool).</summary>
    public string? EndingWith { get; set; }
}

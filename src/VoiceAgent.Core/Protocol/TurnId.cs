namespace VoiceAgent.Core.Protocol;

/// <summary>
/// Identifies one agent turn (one reply). Text, audio and progress messages carry it so that,
/// after a barge-in, every actor can drop what belongs to the interrupted turn.
/// Ids grow monotonically; <see cref="None"/> means "no agent turn".
/// </summary>
public readonly record struct TurnId(long Value) : IComparable<TurnId>
{
    public static readonly TurnId None = new(0);

    public bool IsNone => Value == 0;

    public TurnId Next() => new(Value + 1);

    public int CompareTo(TurnId other) => Value.CompareTo(other.Value);

    public override string ToString() => IsNone ? "none" : $"turn-{Value}";
}

using VoiceAgent.Listening.Interruptions;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Listening.Tests;

public class AgentTurnTests
{
    private static readonly TurnId First = new(1);

    [Fact]
    public void A_turn_speaks_until_it_ends()
    {
        var turn = new AgentTurn();
        turn.Started(First);
        Assert.Equal(First, turn.Speaking);
        Assert.True(turn.Ended(First));
        Assert.True(turn.Speaking.IsNone);
    }

    [Fact]
    public void The_end_of_an_earlier_turn_changes_nothing()
    {
        var turn = new AgentTurn();
        turn.Started(First);
        turn.Started(First.Next());
        Assert.False(turn.Ended(First));
        Assert.Equal(First.Next(), turn.Speaking);
    }
}

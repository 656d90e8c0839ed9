using Akka.Actor;
using Akka.Hosting;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Conversation.Tests;

/// <summary>The tool registry and the idle waiters on their own; probes only stand in for the actors.</summary>
public class ToolOffersTests(ITestOutputHelper output) : Akka.Hosting.TestKit.TestKit(output: output)
{
    private const string NoArguments = """{"type":"object","properties":{}}""";

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider)
    {
    }

    private static ConversationEngine Engine(string? toolsUnsupported = null) =>
        new(new OfflineResponder(TimeSpan.Zero), new ConversationSettings(), OfflineResponder.Name) { ToolsUnsupported = toolsUnsupported };

    private static OfferTool Clock => new("clock", "Tells the time.", NoArguments);

    [Fact]
    public void An_accepted_offer_reaches_the_engine_and_names_who_answers()
    {
        var engine = Engine();
        var tools = new ToolOffers(engine);
        var offerer = CreateTestProbe().Ref;

        var outcome = tools.Offer(Clock, offerer);

        Assert.Equal(new ToolOfferOutcome(true, new ToolOfferAccepted("clock"), new StatusNotice("conversation", "tool available: clock")), outcome);
        Assert.Equal("clock", Assert.Single(engine.Tools).Name);
        Assert.Equal(offerer, tools.Offerers["clock"]);
    }

    [Fact]
    public void An_invalid_offer_or_one_without_a_sender_is_refused_with_the_reason()
    {
        var engine = Engine();
        var tools = new ToolOffers(engine);

        var badName = tools.Offer(Clock with { Name = "what time" }, CreateTestProbe().Ref);
        var nobody = tools.Offer(Clock, ActorRefs.Nobody);

        Assert.False(badName.Accepted);
        Assert.Contains("letters, digits", Assert.IsType<ToolOfferRejected>(badName.Answer).Reason);
        Assert.Equal(NoticeLevel.Warning, badName.Notice!.Level);
        Assert.Contains("without a sender", Assert.IsType<ToolOfferRejected>(nobody.Answer).Reason);
        Assert.Empty(engine.Tools);
        Assert.Empty(tools.Offerers);
    }

    [Fact]
    public void A_model_without_tools_is_said_once_not_once_per_offer()
    {
        var tools = new ToolOffers(Engine(toolsUnsupported: "this model takes no tools"));
        var offerer = CreateTestProbe().Ref;

        var first = tools.Offer(Clock, offerer);
        var second = tools.Offer(Clock with { Name = "weather" }, offerer);

        Assert.Equal(new StatusNotice("conversation", "this model takes no tools", NoticeLevel.Warning), first.Notice);
        Assert.True(second.Accepted);
        Assert.Null(second.Notice);
    }

    [Fact]
    public void Only_the_offerer_withdraws_a_tool_and_a_stopped_offerer_takes_all_of_its_tools()
    {
        var engine = Engine();
        var tools = new ToolOffers(engine);
        var clockActor = CreateTestProbe().Ref;
        var weatherActor = CreateTestProbe().Ref;
        tools.Offer(Clock, clockActor);
        tools.Offer(Clock with { Name = "alarm" }, clockActor);
        tools.Offer(Clock with { Name = "weather" }, weatherActor);

        tools.Withdraw("clock", weatherActor);
        Assert.Equal(3, engine.Tools.Count);
        tools.Withdraw("weather", weatherActor);
        Assert.Equal(new[] { "alarm", "clock" }, engine.Tools.Select(t => t.Name).Order());

        tools.WithdrawAllOf(clockActor);
        Assert.Empty(engine.Tools);
        Assert.Empty(tools.Offerers);
    }

    [Fact]
    public void Idle_waiters_are_told_once()
    {
        var waiters = new IdleWaiters();
        var first = CreateTestProbe();
        var second = CreateTestProbe();
        waiters.Add(first.Ref);
        waiters.Add(second.Ref);

        waiters.ReleaseAll(TestActor);
        waiters.ReleaseAll(TestActor);

        first.ExpectMsg<ConversationIdle>();
        second.ExpectMsg<ConversationIdle>();
        first.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        second.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }
}

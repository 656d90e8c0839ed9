using System.Collections.Immutable;
using Akka.Actor;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Conversation;

/// <summary>How an offer of a tool was taken: the answer for the offering actor and, when there
/// is something to tell the user, a status line.</summary>
internal sealed record ToolOfferOutcome(bool Accepted, object Answer, StatusNotice? Notice);

/// <summary>
/// The tools extension actors offer the model, and which actor answers each one's calls. The
/// engine gets the definitions; a turn's hooks get a snapshot of who answers.
/// </summary>
internal sealed class ToolOffers(ConversationEngine engine)
{
    private readonly HashSet<string> _finishIfInterrupted = new(StringComparer.Ordinal);
    private bool _toolsUnsupportedSaid;

    /// <summary>Immutable, so a reply's streaming task can keep the one it started with.</summary>
    public ImmutableDictionary<string, IActorRef> Offerers { get; private set; } = ImmutableDictionary<string, IActorRef>.Empty;

    public ToolOfferOutcome Offer(OfferTool offer, IActorRef offerer)
    {
        var (tool, problem) = offerer.IsNobody()
            ? (null, $"tool '{offer.Name}' was offered without a sender; tell OfferTool from the actor that answers the calls")
            : ToolDefinition.Parse(offer.Name, offer.Description, offer.ParametersSchema);
        if (tool is null)
            return new ToolOfferOutcome(false, new ToolOfferRejected(offer.Name, problem!),
                new StatusNotice("conversation", $"tool offer refused: {problem}", NoticeLevel.Warning));

        engine.OfferTool(tool);
        Offerers = Offerers.SetItem(tool.Name, offerer);
        if (offer.FinishIfInterrupted) _finishIfInterrupted.Add(tool.Name);
        else _finishIfInterrupted.Remove(tool.Name);
        // Each usable tool is worth a line; a model that takes none is said once, not once per offer.
        StatusNotice? notice = null;
        if (engine.ToolsUnsupported is null) notice = new StatusNotice("conversation", $"tool available: {tool.Name}");
        else if (!_toolsUnsupportedSaid) notice = new StatusNotice("conversation", engine.ToolsUnsupported, NoticeLevel.Warning);
        _toolsUnsupportedSaid = true;
        return new ToolOfferOutcome(true, new ToolOfferAccepted(tool.Name), notice);
    }

    /// <summary>A call of this tool runs to its end even when the user interrupts (<see cref="OfferTool.FinishIfInterrupted"/>).</summary>
    public bool FinishesIfInterrupted(string name) => _finishIfInterrupted.Contains(name);

    /// <summary>Only the actor that offered a tool may withdraw it.</summary>
    public void Withdraw(string name, IActorRef requester)
    {
        if (!Offerers.TryGetValue(name, out var offerer) || !offerer.Equals(requester)) return;
        Remove(name);
    }

    /// <summary>An offering actor stopped: its tools go with it.</summary>
    public void WithdrawAllOf(IActorRef offerer)
    {
        foreach (var (name, _) in Offerers.Where(t => t.Value.Equals(offerer)).ToList()) Remove(name);
    }

    private void Remove(string name)
    {
        Offerers = Offerers.Remove(name);
        _finishIfInterrupted.Remove(name);
        engine.WithdrawTool(name);
    }
}

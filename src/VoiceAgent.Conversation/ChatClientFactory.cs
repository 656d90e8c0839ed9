using Microsoft.Extensions.AI;
using VoiceAgent.Configuration;

namespace VoiceAgent.Conversation;

/// <summary>Chooses the chat client from the settings: the offline responder, or an
/// OpenAI-compatible endpoint.</summary>
public static class ChatClientFactory
{
    public static (IChatClient Client, string ResponderName) Create(ConversationSettings settings) =>
        settings.Provider switch
        {
            "offline" => (new OfflineResponder(settings.OfflineWordDelay), OfflineResponder.Name),
            _ => throw new InvalidConfigurationException(
                $"voice-agent.conversation.provider = {settings.Provider} is not available in this build; use offline."),
        };
}

using System.Diagnostics;
using VoiceAgent.Configuration;
using VoiceAgent.Core.Diagnostics;

namespace VoiceAgent.Conversation.Diagnostics;

/// <summary>Doctor row: what answers the user. For an OpenAI-compatible endpoint: whether it is
/// reachable and accepts the key (its model list is read; no tokens are spent), the key masked.</summary>
public sealed class ChatEndpointCheck(ConversationSettings settings) : IDoctorCheck
{
    private const int OllamaPort = 11434;

    public string Name => "language model";

    public bool Remote => true;

    public async Task<DoctorRow> RunAsync(CancellationToken cancellationToken)
    {
        ResponderKind kind;
        try
        {
            kind = ChatClientFactory.Choose(settings);
        }
        catch (InvalidConfigurationException e)
        {
            return DoctorRow.Failing(Name, e.Message, "voice-agent config   (then fix voice-agent.conversation.provider)");
        }
        if (kind == ResponderKind.Offline)
            return DoctorRow.Ok(Name, $"the built-in {OfflineResponder.Name} (canned replies, labelled on screen; no model)");
        if (kind == ResponderKind.Local)
        {
            var location = ChatClientFactory.LocalLocation(settings);
            return location.Exists
                ? DoctorRow.Ok(Name, $"local model {location.Name}: {location.Path} ({new FileInfo(location.Path).Length / 1048576} MB), run in-process by llama.cpp")
                : DoctorRow.Missing(Name, $"local model {location.Name} is not installed ({location.Path})", $"voice-agent models pull {Local.LocalModelSettings.DefaultModel}");
        }

        ChatEndpoint endpoint;
        try
        {
            // With a stand-in key first: a bad URL or model is reported as such, not as a missing key.
            ChatEndpoint.Resolve(settings with { ApiKey = "stand-in" });
        }
        catch (InvalidConfigurationException e)
        {
            return DoctorRow.Failing(Name, e.Message, "voice-agent config   (then fix voice-agent.conversation.*)");
        }
        try
        {
            endpoint = ChatEndpoint.Resolve(settings);
        }
        catch (InvalidConfigurationException e)
        {
            return DoctorRow.Missing(Name, e.Message, SetKey(ChatTarget.From(settings).ApiKeyName));
        }

        var key = endpoint.ApiKey == ChatEndpoint.NoKey ? "no key (local server)" : $"key {DoctorText.MaskSecret(endpoint.ApiKey)}";
        var warmUp = (EndpointWarmUp)ChatClientFactory.CreateOpenAi(endpoint, settings).WarmUp!;
        var clock = Stopwatch.StartNew();
        var failure = await warmUp.CheckEndpointAsync(cancellationToken);
        if (failure is null)
            return DoctorRow.Ok(Name, $"{endpoint.Describe()} answers ({clock.ElapsedMilliseconds} ms); {key}");
        return DoctorRow.Failing(Name, $"{failure.Message}; {key}", FixFor(failure, endpoint));
    }

    private static string FixFor(ChatFailure failure, ChatEndpoint endpoint)
    {
        var ollama = endpoint.IsLocal && endpoint.BaseUrl.Port == OllamaPort;
        return failure.Status switch
        {
            401 or 403 => SetKey(endpoint.ApiKeyName),
            404 => ollama ? $"ollama pull {endpoint.Model}" : "-D conversation.model=NAME   (a model the endpoint serves)",
            null when ollama => "ollama serve",
            _ => "voice-agent config   (check voice-agent.conversation.base-url; is the server running?)",
        };
    }

    /// <summary>Well-known hosts have a variable name; others name the setting to point at one.</summary>
    private static string SetKey(string variable) =>
        variable.Contains(' ') ? "-D conversation.api-key-env=VARIABLE   (the variable that holds the key)" : $"export {variable}=…";
}

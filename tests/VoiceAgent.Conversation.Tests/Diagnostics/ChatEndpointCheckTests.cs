using VoiceAgent.Conversation.Diagnostics;
using VoiceAgent.Core.Diagnostics;

namespace VoiceAgent.Conversation.Tests.Diagnostics;

/// <summary>The language-model doctor row against a real HTTP endpoint (the fake chat server
/// stands in for a cloud service).</summary>
public class ChatEndpointCheckTests
{
    private const string Key = "sk-test-0123456789abcdefWXYZ";

    private static Task<DoctorRow> Run(ConversationSettings settings) =>
        new ChatEndpointCheck(settings).RunAsync(TestContext.Current.CancellationToken);

    [Fact]
    public async Task The_offline_responder_needs_nothing()
    {
        var row = await Run(new ConversationSettings());
        Assert.Equal(DoctorStatus.Ok, row.Status);
        Assert.Contains("offline responder", row.Detail);
    }

    [Fact]
    public async Task A_reachable_endpoint_is_ok_its_model_list_read_and_the_key_masked()
    {
        await using var server = await FakeChatServer.StartAsync();
        var row = await Run(new ConversationSettings { Provider = "openai", BaseUrl = server.BaseUrl, Model = "test-model", ApiKey = Key });

        Assert.Equal(DoctorStatus.Ok, row.Status);
        Assert.Contains("test-model at 127.0.0.1", row.Detail);
        Assert.Contains("key set (…WXYZ)", row.Detail);
        Assert.DoesNotContain(Key, row.Detail);
        Assert.Equal(1, server.ModelListRequests);
        Assert.Empty(server.Requests); // no chat request: no tokens spent
        Assert.Equal($"Bearer {Key}", server.LastModelListAuthorization);
    }

    [Fact]
    public async Task A_refused_key_fails_with_the_variable_to_set()
    {
        await using var server = await FakeChatServer.StartAsync();
        server.ModelListStatus = 401;
        var row = await Run(new ConversationSettings { Provider = "openai", BaseUrl = server.BaseUrl, Model = "test-model", ApiKey = Key, ApiKeyEnv = "MY_LLM_KEY" });

        Assert.Equal(DoctorStatus.Failing, row.Status);
        Assert.Contains("refused the API key", row.Detail);
        Assert.Equal("export MY_LLM_KEY=…", row.Fix);
        Assert.DoesNotContain(Key, row.Detail + row.Fix);
    }

    [Fact]
    public async Task A_cloud_endpoint_without_a_key_is_missing_its_key()
    {
        var row = await Run(new ConversationSettings { Provider = "openai", BaseUrl = "https://api.openai.com/v1", Model = "gpt-4o-mini", ApiKeyEnv = "VOICE_AGENT_TEST_UNSET_KEY" });

        Assert.Equal(DoctorStatus.Missing, row.Status);
        Assert.True(row.Blocks);
        Assert.Equal("export VOICE_AGENT_TEST_UNSET_KEY=…", row.Fix);
    }

    [Fact]
    public async Task A_server_that_is_not_running_fails()
    {
        var port = System.Net.Sockets.TcpListener.Create(0);
        port.Start();
        var url = $"http://127.0.0.1:{((System.Net.IPEndPoint)port.LocalEndpoint).Port}/v1";
        port.Stop();

        var row = await Run(new ConversationSettings { Provider = "openai", BaseUrl = url, Model = "llama3.2" });

        Assert.Equal(DoctorStatus.Failing, row.Status);
        Assert.Contains("cannot reach", row.Detail);
        Assert.Contains("no key (local server)", row.Detail);
    }
}

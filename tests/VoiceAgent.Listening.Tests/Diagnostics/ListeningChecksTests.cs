using System.Net;
using System.Net.Sockets;
using VoiceAgent.Core.Diagnostics;
using VoiceAgent.Listening.Diagnostics;
using VoiceAgent.Listening.Vad;
using VoiceAgent.TestSupport;

namespace VoiceAgent.Listening.Tests.Diagnostics;

public class ListeningChecksTests
{
    private static Task<DoctorRow> Run(IDoctorCheck check) => check.RunAsync(TestContext.Current.CancellationToken);

    [Fact]
    public async Task The_fetched_VAD_model_is_found_verified_and_run()
    {
        var row = await Run(new VadModelCheck(new ListeningSettings { VadModel = RepoPaths.Model(VadModelFile.FileName) }));

        Assert.Equal(DoctorStatus.Ok, row.Status);
        Assert.Contains(RepoPaths.Model(VadModelFile.FileName), row.Detail);
        Assert.Contains("2623a2953f6f", row.Detail);
    }

    [Fact]
    public async Task A_missing_VAD_model_names_the_fetch_script()
    {
        var row = await Run(new VadModelCheck(new ListeningSettings { VadModel = "/nonexistent/silero_vad_v5.onnx" }));

        Assert.Equal(DoctorStatus.Missing, row.Status);
        Assert.True(row.Blocks);
        Assert.Contains("scripts/fetch-vad-model.sh", row.Fix);
    }

    [Fact]
    public async Task A_VAD_model_with_the_wrong_checksum_fails_and_is_to_be_replaced()
    {
        var file = Path.Combine(Path.GetTempPath(), $"vad-{Guid.NewGuid():N}.onnx");
        await File.WriteAllBytesAsync(file, new byte[1024], TestContext.Current.CancellationToken);
        try
        {
            var row = await Run(new VadModelCheck(new ListeningSettings { VadModel = file }));

            Assert.Equal(DoctorStatus.Failing, row.Status);
            Assert.Contains("sha256", row.Detail);
            Assert.Equal($"rm {file} && bash scripts/fetch-vad-model.sh", row.Fix);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Without_a_transcription_url_recognition_is_not_used_and_the_row_says_how()
    {
        var row = await Run(new TranscriptionEndpointCheck(new ListeningSettings()));

        Assert.Equal(DoctorStatus.NotUsed, row.Status);
        Assert.False(row.Blocks);
        Assert.Contains("text mode", row.Detail);
        Assert.Contains("listening.transcription-url=", row.Fix);
    }

    [Fact]
    public async Task A_running_transcription_server_answers_and_the_key_is_masked()
    {
        await using var server = await TranscriptionServer.StartAsync();
        var key = "sk-test-0123456789abcdefWXYZ";
        var row = await Run(new TranscriptionEndpointCheck(new ListeningSettings { TranscriptionUrl = server.BaseUrl.ToString(), TranscriptionApiKey = key }));

        Assert.Equal(DoctorStatus.Ok, row.Status);
        Assert.Contains("/v1/audio/transcriptions", row.Detail);
        Assert.Contains("key set (…WXYZ)", row.Detail);
        Assert.DoesNotContain(key, row.Detail);
        Assert.Empty(server.Requests); // no audio was sent
    }

    [Fact]
    public async Task A_transcription_server_that_is_not_running_fails()
    {
        var port = FreePort();
        var row = await Run(new TranscriptionEndpointCheck(new ListeningSettings { Recognizer = "openai", TranscriptionUrl = $"http://127.0.0.1:{port}" }));

        Assert.Equal(DoctorStatus.Failing, row.Status);
        Assert.True(row.Blocks);
        Assert.Contains("unreachable", row.Detail);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

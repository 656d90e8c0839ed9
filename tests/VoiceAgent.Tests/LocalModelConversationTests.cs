using Microsoft.Extensions.Hosting;
using VoiceAgent.Configuration;
using VoiceAgent.Hosting;
using VoiceAgent.TestSupport;
using static VoiceAgent.TestSupport.SessionLogFiles;

namespace VoiceAgent.Tests;

/// <summary>
/// The whole assistant with a GGUF model in the models folder (generated: its words are known by
/// construction): auto picks it, the console names it, its reply is spoken by the embedded TTS
/// server, and an interruption stops it. Bad model files stop the start with one line, exit code 2.
/// </summary>
public sealed class LocalModelConversationTests
{
    private static string ModelsFolderWithGeneratedModel()
    {
        var folder = Directory.CreateTempSubdirectory("local-models-").FullName;
        GeneratedLlamaModel.Write(Path.Combine(folder, "generated-chat.gguf"), LlamaModelShape.Tiny, new LlamaModelContent(LlamaModelContent.Sentences));
        return folder;
    }

    [Fact]
    public async Task A_GGUF_model_in_the_models_folder_answers_in_voice_and_stops_when_interrupted()
    {
        var models = ModelsFolderWithGeneratedModel();
        var sessions = Directory.CreateTempSubdirectory("sessions-").FullName;
        var config = DefaultConfig.Load(overrides:
        [
            "audio.input=none",
            "audio.output=none",
            "tts.endpoint=embedded",
            $"models.folder={models}",
            "conversation.local.threads=1",
            "conversation.local.context-size=2048",
            $"extensions.session-log.folder={sessions}",
        ]);
        var input = new ScriptedInput();
        var console = new RecordingConsole();
        using var host = VoiceAgentHost.Build(config, new ConsoleIo(input, console.Console, EchoTypedLines: true), handleCtrlC: false);
        var running = host.RunAsync(TestContext.Current.CancellationToken);

        await console.WaitFor(t => t.Contains("replies from the local model generated-chat (llama"), "the responder's name");
        await console.WaitFor(t => t.Contains("local model ready: loaded in"), "the memory line");
        input.Type("hello");
        await console.WaitFor(t => t.Contains("Hello from a tiny generated model. It speaks in short sentences."), "the model's reply");
        await WaitForLog(sessions, "\"event\":\"PlaybackStarted\"");
        input.Type("stop there");
        await console.WaitFor(t => t.Contains("⏸ interrupted"), "the interruption");
        input.Type("/quit");
        await running.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);

        var log = SessionLogFiles.Read(sessions);
        Assert.Contains("\"event\":\"SpeechMetrics\"", log);
        Assert.Contains("\"event\":\"PlaybackStopped\"", log);
        Assert.DoesNotContain("\"level\":\"Error\"", log);
    }

    [Theory]
    [InlineData("missing", "does not exist")]
    [InlineData("corrupt", "invalid magic characters")]
    public async Task A_bad_local_model_file_is_one_line_and_exit_2(string kind, string cause)
    {
        var folder = Directory.CreateTempSubdirectory("bad-model-").FullName;
        var path = Path.Combine(folder, $"{kind}.gguf");
        if (kind == "corrupt") await File.WriteAllTextAsync(path, "this is no model", TestContext.Current.CancellationToken);

        var result = await CliRunner.Run(["-D", "conversation.provider=local", "-D", $"conversation.local.model={path}", "-D", "audio.backend=none"], standardInput: "");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(path, line);
        Assert.Contains(cause, line);
        Assert.DoesNotContain("   at ", result.StandardError + result.StandardOutput);
    }
}

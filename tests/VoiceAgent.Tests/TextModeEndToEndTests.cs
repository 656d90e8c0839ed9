using Microsoft.Extensions.Hosting;
using VoiceAgent.Configuration;
using VoiceAgent.Hosting;
using VoiceAgent.TestSupport;

namespace VoiceAgent.Tests;

/// <summary>
/// The assistant as it runs by default, in-process: the real host and actors, the offline
/// responder, the embedded TTS server over a loopback WebSocket, audio paced in real time into a
/// silent output. A test types, as a user would, and reads the console.
/// </summary>
public class TextModeEndToEndTests
{
    private static LayeredConfig Config(string sessions, params string[] overrides) =>
        DefaultConfig.Load(overrides:
        [
            "audio.input=none",
            "audio.output=none",
            "conversation.offline-word-delay=10ms",
            $"extensions.session-log.folder={sessions}",
            .. overrides,
        ]);

    [Fact]
    public async Task A_conversation_with_an_interruption_then_quit()
    {
        var sessions = Directory.CreateTempSubdirectory("sessions-").FullName;
        var input = new ScriptedInput();
        var console = new RecordingConsole();
        using var host = VoiceAgentHost.Build(Config(sessions), new ConsoleIo(input, console.Console, EchoTypedLines: true), handleCtrlC: false);
        var running = host.RunAsync(TestContext.Current.CancellationToken);

        input.Type("hello");
        await console.WaitFor(t => t.Contains("agent (offline responder) › Hello! I am VoiceAgent"), "the first reply");

        // The reply is several seconds of speech: typing now interrupts it.
        input.Type("tell me a story");
        await console.WaitFor(t => t.Contains("⏸ interrupted"), "the interruption");
        await console.WaitFor(t => t.Contains("› Here is a long story"), "the second reply");

        input.Type("/quit");
        await running.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);

        var text = console.Text;
        Assert.Contains("you › hello", text);
        Assert.Contains("text mode", text);
        Assert.Contains("offline responder", text);
        Assert.True(text.IndexOf("⏸ interrupted", StringComparison.Ordinal) < text.IndexOf("› Here is a long story", StringComparison.Ordinal));

        // The session log was flushed on shutdown and tells the same story.
        var log = await File.ReadAllTextAsync(Directory.GetFiles(sessions, "*.jsonl").Single(), TestContext.Current.CancellationToken);
        Assert.Contains("\"event\":\"BargeIn\"", log);
        Assert.Contains("\"outcome\":\"interrupted\"", log);
        Assert.Contains("\"event\":\"SpeechInterrupted\"", log);
        Assert.Contains("\"text\":\"tell me a story\"", log);
    }

    [Fact]
    public async Task At_the_end_of_input_the_reply_finishes_then_the_host_stops()
    {
        var sessions = Directory.CreateTempSubdirectory("sessions-").FullName;
        var input = new ScriptedInput();
        var console = new RecordingConsole();
        using var host = VoiceAgentHost.Build(Config(sessions), new ConsoleIo(input, console.Console, EchoTypedLines: true), handleCtrlC: false);
        var running = host.RunAsync(TestContext.Current.CancellationToken);

        input.Type("/say All done.");
        input.End();
        await running.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Contains("agent › All done.", console.Text);
        var log = await File.ReadAllTextAsync(Directory.GetFiles(sessions, "*.jsonl").Single(), TestContext.Current.CancellationToken);
        Assert.Contains("\"event\":\"PlaybackFinished\"", log);
        Assert.Contains("\"outcome\":\"completed\"", log);
    }

    [Fact]
    public async Task An_extension_from_the_configuration_observes_and_commands_the_pipeline()
    {
        var sessions = Directory.CreateTempSubdirectory("sessions-").FullName;
        var type = typeof(EchoExtension);
        var config = Config(sessions, $"extensions.echo.type={type.FullName}, {type.Assembly.GetName().Name}", "extensions.echo.reply=pong from the extension");
        var input = new ScriptedInput();
        var console = new RecordingConsole();
        using var host = VoiceAgentHost.Build(config, new ConsoleIo(input, console.Console, EchoTypedLines: true), handleCtrlC: false);
        var running = host.RunAsync(TestContext.Current.CancellationToken);

        input.Type("ping");
        await console.WaitFor(t => t.Contains("agent › pong from the extension"), "the extension's reply");
        input.Type("/quit");
        await running.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
    }
}

using System.CommandLine;
using VoiceAgent.TtsServer;
using VoiceAgent.TtsServer.Synthesis;

namespace VoiceAgent.Commands;

/// <summary><c>voice-agent tts-server</c>: the local Telnyx-compatible TTS server, standalone,
/// until Ctrl+C. Settings come from voice-agent.tts-server; --host, --port and --api-key override them.</summary>
public static class TtsServerCommand
{
    public static Command Create(GlobalOptions global)
    {
        var host = new Option<string?>("--host") { Description = "Address to bind (default from tts-server.host, 127.0.0.1)." };
        var port = new Option<int?>("--port") { Description = "Port to bind; 0 picks a free one (default from tts-server.port)." };
        var apiKey = new Option<string?>("--api-key") { Description = "Require Authorization: Bearer KEY from clients (default from tts-server.api-key; empty accepts any)." };
        var command = new Command("tts-server",
            "Serve the Telnyx TTS WebSocket protocol locally (wss://api.telnyx.com/v2/text-to-speech/speech → ws://HOST:PORT/v2/text-to-speech/speech), speaking with espeak-ng.");
        command.Options.Add(host);
        command.Options.Add(port);
        command.Options.Add(apiKey);
        command.SetAction(async (parse, _) =>
        {
            var options = TtsServerOptions.FromConfig(global.Load(parse).Config);
            if (parse.GetValue(host) is { Length: > 0 } h) options = options with { Host = h };
            if (parse.GetValue(port) is { } p) options = options with { Port = p };
            if (parse.GetValue(apiKey) is { } k) options = options with { ApiKey = k };

            await using var server = new TtsServerHost(options);
            Uri uri;
            try
            {
                uri = await server.StartAsync();
            }
            catch (Exception e) when (e is SpeechEngineUnavailableException or ArgumentException or IOException)
            {
                await Console.Error.WriteLineAsync($"voice-agent tts-server: {e.Message}");
                return 1;
            }

            var stop = new TaskCompletionSource();
            ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; stop.TrySetResult(); };
            Console.CancelKeyPress += onCancel;
            Console.WriteLine($"TTS server listening on {uri}");
            Console.WriteLine($"  voices: {options.Provider}.VOICE ({server.Voices!.Voices.Count} espeak-ng voices, e.g. {options.Provider}.{server.Voices.Default.Id}); aliases: {string.Join(", ", options.VoiceAliases)}");
            Console.WriteLine($"  auth: {(options.ApiKey.Length > 0 ? "Bearer key required" : "none (any client)")}. Ctrl+C stops.");
            await stop.Task;
            Console.CancelKeyPress -= onCancel;
            return 0;
        });
        return command;
    }
}

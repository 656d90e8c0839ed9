using System.CommandLine;
using VoiceAgent.Speech;
using VoiceAgent.TtsServer;
using VoiceAgent.TtsServer.Synthesis;

namespace VoiceAgent.Commands;

/// <summary><c>voice-agent tts-server</c>: the local Telnyx-compatible TTS server, standalone,
/// until Ctrl+C, SIGTERM or SIGHUP (open sessions are closed with 1001 first). Settings come from
/// voice-agent.tts-server; --host, --port and --api-key override them.</summary>
public static class TtsServerCommand
{
    /// <summary>The server key without putting it on the command line (where ps shows it).</summary>
    public const string ApiKeyVariable = "VOICE_AGENT_TTS_SERVER_API_KEY";

    public static Command Create(GlobalOptions global)
    {
        var host = new Option<string?>("--host") { Description = "IP address to bind: 127.0.0.1 (default, this machine only), 0.0.0.0 (every interface), or one of this machine's addresses." };
        var port = new Option<int?>("--port") { Description = "Port to bind; 0 picks a free one (default from tts-server.port, 8765)." };
        var apiKey = new Option<string?>("--api-key") { Description = $"Require Authorization: Bearer KEY from clients. Visible to other users in ps: prefer the environment variable {ApiKeyVariable}." };
        var allowRemote = new Option<bool>("--allow-remote-without-key") { Description = "Serve a non-loopback address without an API key (anyone who can reach the port may use it)." };
        var command = new Command("tts-server",
            "Serve the Telnyx TTS WebSocket protocol locally (wss://api.telnyx.com/v2/text-to-speech/speech → ws://HOST:PORT/v2/text-to-speech/speech), speaking with espeak-ng. " +
            $"Logs sessions and errors to standard error (tts-server.log-level). Key: {ApiKeyVariable} or tts-server.api-key.");
        command.Options.Add(host);
        command.Options.Add(port);
        command.Options.Add(apiKey);
        command.Options.Add(allowRemote);
        command.SetAction(async (parse, stopping) =>
        {
            var options = TtsServerConfig.FromConfig(global.Load(parse).Config);
            if (parse.GetValue(host) is { } h) options = options with { Host = h };
            if (parse.GetValue(port) is { } p) options = options with { Port = p };
            if (parse.GetValue(apiKey) is { } k)
            {
                options = options with { ApiKey = k };
                if (k.Length > 0) await Console.Error.WriteLineAsync($"voice-agent tts-server: note: --api-key is visible to other users (ps); {ApiKeyVariable} keeps it private.");
            }
            if (parse.GetValue(allowRemote)) options = options with { AllowRemoteWithoutKey = true };

            using var logging = TtsServerLogging.CreateConsole(options.LogLevel);
            await using var server = new TtsServerHost(options, logging);
            Uri uri;
            try
            {
                uri = await server.StartAsync(stopping);
            }
            catch (ArgumentException e)
            {
                await Console.Error.WriteLineAsync($"voice-agent tts-server: {e.Message}");
                return CommandLineErrors.ExitCode;
            }
            catch (Exception e) when (e is SpeechEngineUnavailableException or IOException)
            {
                await Console.Error.WriteLineAsync($"voice-agent tts-server: {e.Message}");
                return 1;
            }
            if (server.ExposureWarning is { } warning) await Console.Error.WriteLineAsync($"voice-agent tts-server: {warning}");

            Console.WriteLine($"TTS server listening on {uri}");
            Console.WriteLine($"  voices: {options.Provider}.VOICE ({server.Voices!.Voices.Count} espeak-ng voices, e.g. {options.Provider}.{server.Voices.Default.Id}); aliases: {string.Join(", ", options.VoiceAliases)}");
            Console.WriteLine($"  auth: {(options.ApiKey.Length > 0 ? "Bearer key required" : "none (any client)")}; at most {options.MaxSessions} sessions. Ctrl+C stops.");
            try
            {
                await Task.Delay(Timeout.Infinite, stopping);
            }
            catch (OperationCanceledException)
            {
                // Asked to stop: open sessions are closed with 1001, then the listener stops.
            }
            await server.DisposeAsync();
            try
            {
                Console.WriteLine("TTS server stopped.");
            }
            catch (IOException)
            {
                // The terminal is gone (SIGHUP): nobody is left to tell.
            }
            return 0;
        });
        return command;
    }
}

using System.CommandLine;
using VoiceAgent.Configuration;
using VoiceAgent.Speech;
using VoiceAgent.TtsServer;

namespace VoiceAgent.Commands;

/// <summary><c>voice-agent say "TEXT"</c>: speaks one text through the TTS path (the TtsActor and
/// its WebSocket client) and writes what playback would have played to a WAV file.</summary>
public static class SayCommand
{
    public static Command Create(GlobalOptions global)
    {
        var text = new Argument<string>("text") { Description = "What to say." };
        var output = new Option<FileInfo?>("--out", "-o") { Description = "Write the audio to this WAV file (16-bit mono at audio.output-sample-rate)." };
        var url = new Option<string?>("--tts-url") { Description = "Use this Telnyx-compatible WebSocket (ws:// or wss://) instead of tts.endpoint." };
        var voice = new Option<string?>("--voice") { Description = "Voice id, e.g. Telnyx.NaturalHD.astra (tts.voice)." };
        var format = new Option<string?>("--format") { Description = "Audio format asked of the server: linear16, mp3 or wav (tts.audio-format)." };
        format.AcceptOnlyFromAmong("mp3", "linear16", "wav");
        var rate = new Option<int?>("--sample-rate") { Description = "Sample rate asked of the server, in Hz (tts.sample-rate)." };

        var command = new Command("say", "Speak a text with the configured TTS (Telnyx, a URL, or the embedded server) and optionally save it as WAV.");
        command.Arguments.Add(text);
        command.Options.Add(output);
        command.Options.Add(url);
        command.Options.Add(voice);
        command.Options.Add(format);
        command.Options.Add(rate);
        command.SetAction(async (parse, cancellation) =>
        {
            var request = new SayRequest(parse.GetValue(text) ?? "", parse.GetValue(output)?.FullName,
                parse.GetValue(url), parse.GetValue(voice), parse.GetValue(format), parse.GetValue(rate));
            var overrides = (parse.GetValue(global.Overrides) ?? []).Concat(SayCli.Overrides(request));
            var config = DefaultConfig.Load(parse.GetValue(global.Profile), parse.GetValue(global.ConfigFile)?.FullName, overrides).Config;

            // The embedded server starts only if the settings lead to it, once.
            TtsServerHost? server = null;
            Task<Uri>? started = null;
            Func<CancellationToken, ValueTask<Uri>> embedded = ct =>
            {
                server ??= new TtsServerHost(TtsServerOptions.FromConfig(config).ForEmbedded());
                started ??= server.StartAsync(ct);
                return new ValueTask<Uri>(started);
            };
            try
            {
                var (code, _) = await SayCli.RunAsync(request, config, embedded, Console.Out, Console.Error, cancellation);
                return code;
            }
            finally
            {
                if (server is not null) await server.DisposeAsync();
            }
        });
        return command;
    }
}

using System.CommandLine;
using VoiceAgent.Audio.Hosting;
using VoiceAgent.Composition;
using VoiceAgent.Configuration;
using VoiceAgent.Dsp;
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
                server ??= new TtsServerHost(TtsServerConfig.FromConfig(config).ForEmbedded());
                started ??= server.StartAsync(ct);
                return new ValueTask<Uri>(started);
            };
            try
            {
                var (code, result) = await SayCli.RunAsync(request, config, embedded, Console.Out, Console.Error, cancellation);
                if (code == 0 && result is not null && request.OutFile is null) return Play(result, config, cancellation);
                return code;
            }
            finally
            {
                if (server is not null) await server.DisposeAsync();
            }
        });
        return command;
    }

    /// <summary>Without --out the words are meant to be heard: play them on the configured output
    /// (the speakers, through PulseAudio/PipeWire), in 20 ms pieces so Ctrl+C stops promptly.</summary>
    private static int Play(SayResult result, Akka.Configuration.Config config, CancellationToken cancellation)
    {
        using var output = AudioBackends.OpenOutput(AudioSettings.FromConfig(config), out var notice);
        if (notice is not null)
        {
            // The fallback output is silent: say so, instead of pretending it was spoken.
            Console.Error.WriteLine($"voice-agent say: nothing was played: {notice.Text.Split(';')[0]}; use --out FILE.wav to keep the audio.");
            return 1;
        }
        var samples = result.SampleRate == output.SampleRate
            ? result.Samples
            : VoiceAgent.Dsp.Resampler.Convert(result.Samples, result.SampleRate, output.SampleRate);
        var piece = output.SampleRate / 50;
        for (var offset = 0; offset < samples.Length && !cancellation.IsCancellationRequested; offset += piece)
            output.Write(samples.AsSpan(offset, Math.Min(piece, samples.Length - offset)));
        if (cancellation.IsCancellationRequested)
        {
            output.Flush(); // stop the speakers now, not after what they still hold
            return Hosting.ShutdownSignals.Process.InterruptedExitCode;
        }
        output.Drain();
        return 0;
    }
}

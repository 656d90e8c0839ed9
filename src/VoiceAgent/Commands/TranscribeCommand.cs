using System.CommandLine;
using System.Runtime.InteropServices;

namespace VoiceAgent.Commands;

/// <summary><c>voice-agent transcribe FILE.wav | --mic</c>: what the recognizer hears, to check a
/// model, an engine or a microphone.</summary>
public static class TranscribeCommand
{
    public static Command Create(GlobalOptions global)
    {
        var file = new Argument<FileInfo?>("file") { Description = "A WAV file (any sample rate, any number of channels; 16-bit PCM).", Arity = ArgumentArity.ZeroOrOne };
        var engine = new Option<string?>("--engine") { Description = "whisper, pocketsphinx or openai (default: voice-agent.listening.recognizer, auto)." };
        var model = new Option<string?>("--model") { Description = "Whisper model: a name such as base.en, or the path of a ggml file (implies --engine whisper)." };
        var language = new Option<string?>("--language") { Description = "Spoken language code (en, de, …) or auto (Whisper and OpenAI-compatible servers)." };
        var microphone = new Option<bool>("--mic") { Description = "Listen to the microphone instead of a file: each utterance (cut by the voice activity detector) is printed." };
        var seconds = new Option<double?>("--seconds") { Description = "With --mic: stop after this many seconds (default: at Ctrl+C)." };
        var command = new Command("transcribe", "Print what the speech recognizer hears in a WAV file, or from the microphone with --mic, with the time it took and the engine.");
        command.Arguments.Add(file);
        command.Options.Add(engine);
        command.Options.Add(model);
        command.Options.Add(language);
        command.Options.Add(microphone);
        command.Options.Add(seconds);
        command.SetAction(async (parse, _) =>
        {
            var request = new TranscribeRequest(parse.GetValue(file)?.FullName, parse.GetValue(engine), parse.GetValue(model),
                parse.GetValue(language), parse.GetValue(microphone), parse.GetValue(seconds));
            var config = global.Load(parse).Config;
            // Ctrl+C and SIGTERM end the listening; what was heard is still printed.
            using var stop = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                e.Cancel = true;
                stop.Cancel();
            };
            Console.CancelKeyPress += onCancel;
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });
            try
            {
                return await TranscribeCli.RunAsync(request, config, Console.Out, Console.Error, stop.Token);
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
        });
        return command;
    }
}
